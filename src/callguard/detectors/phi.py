"""HIPAA001/HIPAA002: names and places (Safe Harbor A and B) found by spaCy NER, tuned for calls.

Why code and not a pattern: a name is recognised by a model, not a regex. Why not a stock NER
call per turn: it is slow (most turns hold no name), and in transcripts it is wrong in known ways:
speaker labels ("Agent:", "spk_0") look like names, greetings and card brands ("Thanks Visa") get
tagged, ASR writes names in lower case ("my name is john smith"), and states and countries are
tagged as places although Safe Harbor lets them stay.

So one shared pass per document (`callguard.nlp.NerPass`) runs the model only on short windows
around words that can start a name or place (a capitalised word that is not a common word, or a
lower-case word right after a cue such as "my name is" or "live in", title-cased for the model),
batches the windows through `nlp.pipe`, and caches the result so both rules share one run. Each
rule then keeps its labels and trims what is not PHI: role words, titles, greetings, products,
states, countries. Organisations are never reported: they are not Safe Harbor identifiers.

What decides an entity lies in its own line (the model's window, the words around it) or
within `NER_REACH` of it (the cue of a name the conversation states), so a redaction read-back
runs the model only on the lines within that reach of its edits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from callguard.detectors.cues import longest_match
from callguard.detectors.name_slots import SLOT_REACH
from callguard.detectors.ner_context import PLACE_CHARS, is_place_cued, is_street_or_organisation
from callguard.detectors.ner_windows import COMMON_WORDS, CUE_CHARS, EVERYWHERE, Spans
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.nlp import Hit, shared_pass
from callguard.rule import Match, Reach, Rule

CUE_BOOST = 0.25
BARE_PENALTY = 0.1
_PERSON_LABELS = frozenset(("PERSON", "PER"))

_TOKEN = re.compile(r"[^\s,;:()\[\]\"]+")
_EDGE_PUNCT = ".,'’-!?"
_DIGIT = re.compile(r"\d")
_TITLE_WORDS = (
    "mr mrs ms miss mx dr doctor nurse prof professor sir madam maam ma'am agent rep officer"
    " patient member mister missus"
)
_TITLES = frozenset(_TITLE_WORDS.split())
_SPELLED = re.compile(
    r"\bspell(?:ed|ing|s)?(?:\s(?:it|that|is|as|like|out)){0,2}[\s,:]{1,3}"
    r"(?P<value>(?:[a-z](?:[\s.,-]{1,2}|$)){2,24}[a-z]\b)",
    re.IGNORECASE,
)


_SPELLED_CHARS = longest_match(_SPELLED) or 0


def _ner_reach() -> Reach | None:
    """How far from where an entity starts anything deciding it can lie.

    The model reads a window in the entity's line; the words that make it a street, a firm or
    a cued name lie within `CUE_CHARS` or `PLACE_CHARS` before it or in its line; a stated
    name settles the candidates of its line, and its cue lies within `SLOT_REACH` of it; a
    spelled name ("spelled s m i t h") is one match of `_SPELLED`. None if one is unbounded.
    """
    if SLOT_REACH is None or not _SPELLED_CHARS:
        return None
    chars = max(SLOT_REACH.chars, _SPELLED_CHARS, CUE_CHARS, PLACE_CHARS)
    return Reach(chars=chars, lines=SLOT_REACH.lines)


NER_REACH = _ner_reach()


def _focus(document: Document, reach: Reach | None) -> Spans:
    """Where the NER rules start entities: everywhere, or a read-back's lines near its edits."""
    return EVERYWHERE if document.focus is None else document.focus_spans(reach)


@dataclass(frozen=True)
class _Options:
    model: str | None
    labels: frozenset[str]
    drop: frozenset[str]


def _options(options: Mapping[str, Any], default_labels: tuple[str, ...], key: str) -> _Options:
    unknown = set(options) - {"model", "labels", key}
    if unknown:
        raise ValueError(f"unknown option(s): {', '.join(sorted(unknown))}")
    model = options.get("model")
    if model is not None and not isinstance(model, str):
        raise TypeError("`model` must be a spaCy package name or directory")
    return _Options(
        model=model,
        labels=frozenset(str(label) for label in options.get("labels", default_labels)),
        drop=frozenset(_norm(str(word)) for word in options.get(key, ())),
    )


def _norm(word: str) -> str:
    return " ".join(word.casefold().strip(_EDGE_PUNCT).split())


class _NerRule:
    """Common part of the two NER rules: the shared pass, label choice, trimming."""

    _stated_label = "PERSON"  # the label of the stated entities (`Hit.stated`) this rule reports

    def __init__(self, meta: RuleMeta, options: _Options) -> None:
        self._meta = meta
        self._options = options
        shared_pass(options.model).add_quiet_words(options.drop)

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    @property
    def reach(self) -> Reach | None:
        """`NER_REACH`: the model's window is in the entity's line, its cues near it."""
        return NER_REACH

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._meta.id})"

    def scan(self, document: Document) -> Iterator[Match]:
        hits = shared_pass(self._options.model).hits(document, _focus(document, self.reach))
        for hit in hits:
            if not self._accepts(hit, document.text):
                continue
            span = self._trim(document.text, hit.start, hit.end)
            if span is None:
                continue
            start, end = span
            if self._is_something_else(document.text, start, end):
                continue
            yield Match(
                rule_id=self._meta.id,
                confidence=self._confidence(hit, end - start, document.text[start:end]),
                value=_norm(document.text[start:end]),
                spans=((start, end),),
            )

    def _accepts(self, hit: Hit, text: str) -> bool:
        """A model entity with one of the rule's labels, or a stated entity of the rule's kind."""
        if hit.stated:
            return hit.label == self._stated_label
        return hit.label in self._options.labels

    def _trim(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """The span without edge words that are not PHI, or None if nothing is left."""
        tokens = [(m.start() + start, m.end() + start) for m in _TOKEN.finditer(text[start:end])]
        while tokens and (size := self._noise_size(text, tokens, first=True)):
            tokens = tokens[size:]
        while tokens and (size := self._noise_size(text, tokens, first=False)):
            tokens = tokens[:-size]
        if not tokens:
            return None
        begin, stop = tokens[0][0], tokens[-1][1]
        while stop > begin and text[stop - 1] in _EDGE_PUNCT:
            stop -= 1
        for suffix in ("'s", "’s"):
            if text[begin:stop].endswith(suffix):
                stop -= len(suffix)
        value = text[begin:stop]
        return None if self._is_not_phi(value) else (begin, stop)

    def _noise_size(self, text: str, tokens: list[tuple[int, int]], *, first: bool) -> int:
        """How many of the first (or last) tokens form a word the rule never reports (0-3)."""
        for size in range(min(3, len(tokens)), 0, -1):
            part = tokens[:size] if first else tokens[-size:]
            if self._is_noise_word(_norm(text[part[0][0] : part[-1][1]])):
                return size
        return 0

    def _is_noise_word(self, words: str) -> bool:
        return words in COMMON_WORDS or words in self._options.drop or not words

    def _is_not_phi(self, value: str) -> bool:
        """Digits, an underscore (a machine token: SYSTEM_MESSAGE, agent_42) or no letter."""
        if _DIGIT.search(value) or "_" in value:
            return True
        return not any(char.isalpha() for char in value)

    def _is_something_else(self, text: str, start: int, end: int) -> bool:
        """True if the context shows the entity is another kind of thing (PersonRule: a street)."""
        return False

    def _confidence(self, hit: Hit, length: int, value: str) -> float:
        score = self._meta.confidence
        if hit.cued:
            score += CUE_BOOST
        elif " " not in value.strip():
            score -= BARE_PENALTY
        return round(min(max(score, 0.0), 1.0), 2)


class PersonRule(_NerRule):
    """HIPAA001: names of people. Titles and role words are trimmed, spelled names found too."""

    def __init__(self, meta: RuleMeta, options: _Options) -> None:
        super().__init__(meta, options)
        shared_pass(options.model).add_quiet_words(_TITLES)

    def scan(self, document: Document) -> Iterator[Match]:
        yield from super().scan(document)
        for found in _spelled(document.text, _focus(document, self.reach)):
            start, end = found.span("value")
            letters = "".join(char for char in found.group("value") if char.isalpha())
            yield Match(
                rule_id=self._meta.id,
                confidence=round(min(self._meta.confidence + CUE_BOOST, 1.0), 2),
                value=letters.casefold(),
                spans=((start, end),),
                detail="spelled out",
            )

    def _is_something_else(self, text: str, start: int, end: int) -> bool:
        return is_street_or_organisation(text, start, end) or is_place_cued(text, start)

    def _is_noise_word(self, words: str) -> bool:
        return super()._is_noise_word(words) or words in _TITLES

    def _is_not_phi(self, value: str) -> bool:
        if super()._is_not_phi(value):
            return True
        letters = [char for char in value if char.isalpha()]
        # An acronym (CVV, PIN, DOB) is not a name; a single letter is not either.
        return len(letters) < 2 or (value.isupper() and len(letters) <= 4)


class LocationRule(_NerRule):
    """HIPAA002: cities, counties, facilities; states and countries are trimmed away.

    A city named like a person ("Eugene", "Florence") after a place cue ("i live in eugene")
    is a place, whatever label the model gave it.
    """

    _stated_label = "LOCATION"

    def _trim(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """As for every entity, except "<state> City": Kansas City, New York City are cities."""
        words = _norm(text[start:end]).split(" ")
        if len(words) > 1 and words[-1] == "city" and " ".join(words[:-1]) in self._options.drop:
            return start, end - len(text[start:end]) + len(text[start:end].rstrip(_EDGE_PUNCT))
        return super()._trim(text, start, end)

    def _accepts(self, hit: Hit, text: str) -> bool:
        if super()._accepts(hit, text):
            return True
        return not hit.stated and hit.label in _PERSON_LABELS and is_place_cued(text, hit.start)


def _spelled(text: str, spans: Spans) -> Iterator[re.Match[str]]:
    """The matches of `_SPELLED` starting in `spans`, in order; they may end after them (by
    at most `_SPELLED_CHARS`, and one more character tells where a word ends)."""
    for low, high in spans:
        for found in _SPELLED.finditer(text, low, min(len(text), high + _SPELLED_CHARS + 1)):
            if found.start() >= high:
                break
            yield found


def person_rule(meta: RuleMeta, options: Mapping[str, Any]) -> Rule:
    """Factory for `detector: spacy_person`."""
    return PersonRule(meta, _options(options, ("PERSON", "PER"), "not_names"))


def location_rule(meta: RuleMeta, options: Mapping[str, Any]) -> Rule:
    """Factory for `detector: spacy_location`."""
    return LocationRule(
        meta, _options(options, ("GPE", "LOC", "FAC", "LOCATION"), "not_phi_places")
    )


DETECTORS = {"spacy_person": person_rule, "spacy_location": location_rule}
