"""PatternRule: the rule behind every YAML entry that names `patterns`.

Scored regexes find candidates; a named normaliser turns the matched text into the value
(digits only for card numbers); named validators accept or kill it (Luhn, IIN table); context
words near the match move the confidence up, "negative" words (order, tracking) move it down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from callguard.detectors.search import FastRegex, RE2Spans, words_prefilter
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.named import Describer, Expander, Normalizer, Validator
from callguard.rule import Match, Reach

CONTEXT_BOOST = 0.3
NEGATIVE_CONTEXT_PENALTY = 0.3


_NON_DIGIT = re.compile(r"[^0-9]+")


def _digits(text: str) -> str:
    return _NON_DIGIT.sub("", text)


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

    def occur(self, text: str, start: int, end: int) -> bool:
        """Whether a word occurs in text[start:end], read as a string of its own (a word cut
        by the window's edge counts, as it did when the window was sliced)."""
        if self._regex is None:
            return False
        first = self._hint.earliest_start(text, start, end) if self._hint else start
        if first is None:
            return False
        return self._regex.search(text[start:end], first - start) is not None


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
        self._window = context_window
        self._normalize = normalize or _unchanged
        self._validators = validate
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

    def _accept(self, text: str, start: int, end: int, base: float) -> Iterator[Match]:
        """Valid, non-overlapping candidates within [start, end), scored by their context."""
        spans = self._expand(text, start, end) if self._expand else iter(((start, end),))
        taken: list[tuple[int, int]] = []
        for begin, stop in spans:
            if taken and any(begin < end_ and start_ < stop for start_, end_ in taken):
                continue
            value = self._normalize(text[begin:stop])
            if not all(is_valid(value) for is_valid in self._validators):
                continue
            taken.append((begin, stop))
            yield Match(
                rule_id=self._meta.id,
                confidence=self._score(text, begin, stop, base),
                value=value,
                spans=((begin, stop),),
                detail=self._describe(value) if self._describe else "",
            )
            if (begin, stop) == (start, end):
                return  # the whole match was valid: nothing inside it can be another value

    def _score(self, text: str, start: int, end: int, base: float) -> float:
        before = max(0, start - self._window)
        after = end + self._window // 2
        score = base
        if self._context.occur(text, before, start) or self._context.occur(text, end, after):
            score += CONTEXT_BOOST
        if self._negative.occur(text, before, start):
            score -= NEGATIVE_CONTEXT_PENALTY
        return round(min(max(score, 0.0), 1.0), 2)
