"""What the words around an entity say it is, when the small NER model says otherwise.

The model reads a short window and often calls a street ("69 Gordon Terrace", "Rue de Tanger
12"), a firm ("Davis Orchestra", "Smith Clinic") or a city named like a person ("i live in
eugene") a PERSON. The context settles these cases without another model run:

* a house number right before the words, a street word after its first word ("Crown St",
  "Lovers Lane") or before it ("Rue", "Via", "Calle"), or a street ending in a compound
  ("Feldstrasse", "Vesterskovvej"): a street, not a person;
* a company or institution word after its first word ("Orchestra", "Clinic", "Inc"): an
  organisation, not a person (organisations are not Safe Harbor identifiers);
* a place cue right before it ("live in", "moved to", "the clinic in", "city of"): a place;
* the place between a street address and its state ("4410 Alder Street, Boise, ID 83702"):
  a city, which the small model, reading the whole address, often calls an organisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from callguard.detectors.cues import fast


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
# How far before an entity `is_place_cued` and `is_street_or_organisation` read.
PLACE_CHARS = 24
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
    return _PLACE_BEFORE.search(text, max(0, start - PLACE_CHARS), start) is not None


def _norm(word: str) -> str:
    return word.casefold().strip(_EDGE)


_NUMBER_WORD = (
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred)"
)
_STREET_TYPE = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl"
    r"|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|loop|alley)"
)
_STATE_CODE = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE"
    r"|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR)"
)
_STATE_NAME = (
    r"(?:alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida"
    r"|georgia|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland"
    r"|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada"
    r"|new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma"
    r"|oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah"
    r"|vermont|virginia|washington|west virginia|wisconsin|wyoming)"
)
# A house number, one to three name words, a street type, maybe a unit, a comma: then the
# city (the group), a comma and the state, as a postal address is written. A
# lower-case state code ("reno, nv") counts only before a ZIP code: "or", "in", "me" are words.
ADDRESS_CITY = fast(
    re.compile(
        rf"(?<![\w$#.,-])(?:\d{{1,6}}(?:-?[a-z])?|(?:{_NUMBER_WORD}[ -]){{1,5}}{_NUMBER_WORD})"
        rf"[ ]{{1,3}}(?:[^\W\d_][\w'’.-]{{0,20}}[ ]{{1,3}}){{1,3}}{_STREET_TYPE}\.?"
        r"(?:,?[ ]{1,2}(?:apt|apartment|suite|ste|unit|\#)\.?[ ]{0,2}\#?[\w-]{1,6})?,[ ]{1,2}"
        r"(?P<city>[^\W\d_][\w'’.-]{1,30}(?:[ ][^\W\d_][\w'’.-]{1,30}){0,2}),?[ ]{1,2}"
        rf"(?:(?-i:{_STATE_CODE})\b|{_STATE_NAME}\b|[a-z]{{2}}[ ]{{1,2}}\d{{5}}(?!\d))",
        re.IGNORECASE,
    )
)


def address_cities(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The span of each city written between a street address and its state, of the
    addresses starting in text[start:end] (they may end after it)."""
    for found in ADDRESS_CITY.finditer(text, start, last_start=end):
        yield found.span("city")
