"""What the words around an entity say it is, when the small NER model says otherwise.

The model reads a short window and often calls a street ("69 Gordon Terrace", "Rue de Tanger
12"), a firm ("Davis Orchestra", "Smith Clinic") or a city named like a person ("i live in
eugene") a PERSON. The context settles these cases without another model run:

* a house number right before the words, a street word after its first word ("Crown St",
  "Lovers Lane") or before it ("Rue", "Via", "Calle"), or a street ending in a compound
  ("Feldstrasse", "Vesterskovvej"): a street, not a person;
* a company or institution word after its first word ("Orchestra", "Clinic", "Inc"): an
  organisation, not a person (organisations are not Safe Harbor identifiers);
* a place cue right before it ("live in", "moved to", "the clinic in", "city of"): a place.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STREET_WORDS = _words(
    "street st avenue ave road rd boulevard blvd lane ln drive dr court ct way place pl terrace"
    " ter circle cir parkway pkwy highway hwy square sq trail trl turnpike bypass crescent alley"
)
_ORG_WORDS = _words(
    "inc llc ltd corp corporation co company group orchestra band hospital clinic pharmacy"
    " university college school church bank insurance associates partners foundation institute"
    " center centre"
)
_NOT_PERSON_TAILS = _STREET_WORDS | _ORG_WORDS
_STREET_HEADS = _words(
    "rue via rua avenida avda calle ul piazza piazzetta viale corso rambla paseo plaza"
)
_STREET_ENDINGS = tuple(
    _words("strasse straße gasse straat laan weg vej vägen gata gatan katu veien vegen utca")
)
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:live|lives|living|lived|moved|located|based|clinic|hospital|office|pharmacy)"
    r"\s(?:in|to|at)|\b(?:city|town|county)\sof)\s{1,3}\Z",
    re.IGNORECASE,
)
_HOUSE_NUMBER = re.compile(r"(?<![\w.,:/-])\d{1,6}[a-zA-Z]?\s{1,3}\Z")
_WORD = re.compile(r"[^\s,;:()\[\]\"]+")
_EDGE = ".,'’-!?"


def is_street_or_organisation(text: str, start: int, end: int) -> bool:
    """True if text[start:end] reads as a street or an organisation by the words around it."""
    if _HOUSE_NUMBER.search(text, max(0, start - 12), start):
        return True
    words = [_norm(word) for word in text[start:end].split()]
    before = text[max(0, start - 12) : start].split()
    following = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    tail = words[1:] + ([_norm(following.group())] if following is not None else [])
    if any(word in _NOT_PERSON_TAILS for word in tail):
        return True
    heads = [*words[:1], _norm(before[-1])] if before else words[:1]
    if any(word in _STREET_HEADS for word in heads):
        return True
    return any(word.endswith(_STREET_ENDINGS) for word in words)


def is_place_cued(text: str, start: int) -> bool:
    """True if a place cue ("live in", "moved to", "the clinic in") ends right at `start`."""
    return _PLACE_BEFORE.search(text, max(0, start - 24), start) is not None


def _norm(word: str) -> str:
    return word.casefold().strip(_EDGE)
