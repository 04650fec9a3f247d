"""PatternRule: the rule behind every YAML entry that names `patterns`.

Scored regexes find candidates; a named normaliser turns the matched text into the value
(digits only for card numbers); named validators accept or kill it (Luhn, IIN table); context
words near the match move the confidence up, "negative" words (order, tracking) move it down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from callguard.detectors.search import FastRegex, RE2Spans, words_prefilter
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.named import Describer, Expander, Normalizer, Validator
from callguard.rule import Match, Reach

CONTEXT_BOOST = 0.3
NEGATIVE_CONTEXT_PENALTY = 0.3


_NON_DIGIT = re.compile(r"[^0-9]+")
_NOT_DIGIT_BYTES = bytes(byte for byte in range(256) if not ord("0") <= byte <= ord("9"))


def _digits(text: str) -> str:
    """The ASCII digits of `text`. A candidate card number is normalised hundreds of times per
    MB, and `re.sub` costs twice a bytes `translate` (and seven times the check for the common
    run of bare digits), so ASCII text takes those; other text keeps the regex."""
    if not text.isascii():
        return _NON_DIGIT.sub("", text)
    if text.isdigit():
        return text
    return text.encode("ascii").translate(None, _NOT_DIGIT_BYTES).decode("ascii")


def _alnum_upper(text: str) -> str:
    return "".join(char for char in text if char.isalnum()).upper()


def _unchanged(text: str) -> str:
    return text


NORMALIZERS: dict[str, Normalizer] = {
    "none": _unchanged,
    "digits": _digits,
    "alnum_upper": _alnum_upper,
}


@dataclass(frozen=True)
class Pattern:
    """One named regex of a rule; `score` overrides the rule's base confidence."""

    name: str
    regex: FastRegex
    score: float | None = None


def compile_words(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of `words` as whole words, or None if empty."""
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


class ContextWords:
    """Whole words, any case, looked for in the short windows around a candidate.

    `re` tries every word at every position of a window (about 10 us for 64 characters, and a
    candidate has two or three windows); an RE2 search for the same words without the word
    boundaries, over the document's cached ASCII bytes, rules out most windows first (about
    1 us). Only a window that holds one of the words is searched by the exact regex, from where
    RE2 found the first one (no exact match can start before it).
    """

    def __init__(self, words: tuple[str, ...]) -> None:
        self._regex = compile_words(words)
        self._hint: RE2Spans | None = None
        if words and all(word.isascii() for word in words):  # folded alike by RE2 and `re`
            alternatives = "|".join(re.escape(word) for word in words)
            fallback = re.compile(alternatives, re.IGNORECASE)
            self._hint = RE2Spans(words_prefilter(alternatives), fallback)

    def earliest(self, text: str, start: int, end: int) -> int | None:
        """Where a word in text[start:end] can start at the earliest: None when none can (no
        words, or RE2 finds none), RE2's first hit, or `start` when RE2 cannot tell."""
        if self._regex is None:
            return None
        return self._hint.earliest_start(text, start, end) if self._hint else start

    def occur(self, text: str, start: int, end: int, first: int | None = None) -> bool:
        """Whether a word occurs in text[start:end], read as a string of its own (a word cut
        by the window's edge counts, as it did when the window was sliced).

        `first`, if given, is where a word can start at the earliest, as `earliest` of a
        window holding this one found it for these words or more: a candidate's windows
        share one RE2 search (an RE2 call costs more than the few characters it reads).
        """
        if first is None:
            first = self.earliest(text, start, end)
            if first is None:
                return False
        if self._regex is None or first >= end:
            return False
        return self._regex.search(text[start:end], max(first, start) - start) is not None


def _accepting(validators: tuple[Validator, ...]) -> Validator:
    """One validator accepting what all of `validators` accept: the one itself when a rule
    names one (a card rule validates hundreds of candidates per MB)."""
    if len(validators) == 1:
        return validators[0]
    return lambda value: all(is_valid(value) for is_valid in validators)


class PatternRule:
    """A declarative text rule: patterns, normaliser, validators, context words."""

    def __init__(
        self,
        meta: RuleMeta,
        patterns: tuple[Pattern, ...],
        *,
        context: tuple[str, ...] = (),
        negative_context: tuple[str, ...] = (),
        context_window: int = 64,
        normalize: Normalizer | None = None,
        validate: tuple[Validator, ...] = (),
        describe: Describer | None = None,
        expand: Expander | None = None,
        trigger: str | None = None,
        max_length: int | None = None,
    ) -> None:
        self._meta = meta
        self._patterns = patterns
        self._context = ContextWords(context)
        self._negative = ContextWords(negative_context)
        # Both kinds of words, for the one search that bounds where either can be (`_score`).
        self._any_word = ContextWords(context + negative_context)
        self._window = context_window
        self._normalize = normalize or _unchanged
        self._is_valid = _accepting(validate)
        self._describe = describe
        self._expand = expand
        self._trigger = trigger
        self._max_length = max_length

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    @property
    def reach(self) -> Reach | None:
        """With a declared `max_length`: a match starts within it of any of its characters,
        and within the context window of its context words; else unknown (None)."""
        if self._max_length is None:
            return None
        return Reach(chars=self._max_length + self._window)

    @property
    def trigger(self) -> str | None:
        """The rule's own `trigger` (RE2), else any pattern's prefilter: no hit, no match.

        None if a pattern has no prefilter (the rule then always runs). A prefilter with long
        counted repeats (`{0,30}`) is cheap alone but swells the gate's one RE2 set for every
        text; a short trigger ("zip|postal") keeps the gate fast.
        """
        if self._trigger is not None:
            return self._trigger
        prefilters = [pattern.regex.prefilter for pattern in self._patterns]
        if any(prefilter is None for prefilter in prefilters):
            return None
        return "|".join(f"(?:{prefilter})" for prefilter in dict.fromkeys(prefilters))

    def __repr__(self) -> str:
        return f"PatternRule({self._meta.id})"

    def scan(self, document: Document) -> Iterator[Match]:
        text = document.text
        for pattern in self._patterns:
            base = self._meta.confidence if pattern.score is None else pattern.score
            has_value_group = "value" in pattern.regex.groupindex
            for found in pattern.regex.finditer_in(text, document.focus_spans(self.reach)):
                start, end = found.span("value") if has_value_group else found.span()
                yield from self._accept(text, start, end, base)

    def _accept(self, text: str, start: int, end: int, base: float) -> list[Match]:
        """Valid, non-overlapping candidates within [start, end), scored by their context.

        The whole match is judged first: when it is valid, nothing inside it can be another
        value, and the expander (which costs more than the check) is not asked at all.
        A list, not a generator: most matches give none.
        """
        value = self._normalize(text[start:end])
        if self._is_valid(value):
            return [self._match(text, start, end, value, base)]
        if self._expand is None:
            return []
        found: list[Match] = []
        taken: list[tuple[int, int]] = []
        for begin, stop in self._expand(text, start, end):
            if any(begin < end_ and start_ < stop for start_, end_ in taken):
                continue
            value = self._normalize(text[begin:stop])
            if self._is_valid(value):
                taken.append((begin, stop))
                found.append(self._match(text, begin, stop, value, base))
        return found

    def _match(self, text: str, start: int, end: int, value: str, base: float) -> Match:
        return Match(
            rule_id=self._meta.id,
            confidence=self._score(text, start, end, base),
            value=value,
            spans=((start, end),),
            detail=self._describe(value) if self._describe else "",
        )

    def _score(self, text: str, start: int, end: int, base: float) -> float:
        """The base score, raised by a context word near the match, lowered by a negative word
        before it. One RE2 search of the span holding all three windows, for both kinds of
        words, tells where a word can start at the earliest: most candidates have none near.
        """
        before = max(0, start - self._window)
        after = end + self._window // 2
        score = base
        first = self._any_word.earliest(text, before, after)
        if first is not None:
            if self._context.occur(text, before, start, first) or self._context.occur(
                text, end, after, first
            ):
                score += CONTEXT_BOOST
            # Its own RE2 search: rules out a window more cheaply than `re` from `first`.
            if first < start and self._negative.occur(text, before, start):
                score -= NEGATIVE_CONTEXT_PENALTY
        return _bounded(score)


@lru_cache(maxsize=256)
def _bounded(score: float) -> float:
    """`score` within [0, 1], rounded to hundredths. Cached: rounding to places costs more than
    finding the context words, and the scores of a rule are few."""
    return round(min(max(score, 0.0), 1.0), 2)
