"""PatternRule: the rule behind every YAML entry that names `patterns`.

Scored regexes find candidates; a named normaliser turns the matched text into the value
(digits only for card numbers); named validators accept or kill it (Luhn, IIN table); context
words near the match move the confidence up, "negative" words (order, tracking) move it down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from callguard.detectors.search import FastRegex
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.named import Describer, Expander, Normalizer, Validator
from callguard.rule import Match

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
    ) -> None:
        self._meta = meta
        self._patterns = patterns
        self._context = compile_words(context)
        self._negative = compile_words(negative_context)
        self._window = context_window
        self._normalize = normalize or _unchanged
        self._validators = validate
        self._describe = describe
        self._expand = expand
        self._trigger = trigger

    @property
    def meta(self) -> RuleMeta:
        return self._meta

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
            for low, high in document.focus_spans():
                for found in pattern.regex.finditer(text, low, last_start=high):
                    start, end = found.span("value") if has_value_group else found.span()
                    yield from self._accept(text, start, end, base)

    def _accept(self, text: str, start: int, end: int, base: float) -> Iterator[Match]:
        """Valid, non-overlapping candidates within [start, end), scored by their context."""
        spans = self._expand(text, start, end) if self._expand else iter(((start, end),))
        taken: list[tuple[int, int]] = []
        for begin, stop in spans:
            if any(begin < used_end and used_start < stop for used_start, used_end in taken):
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
        before = text[max(0, start - self._window) : start]
        after = text[end : end + self._window // 2]
        score = base
        if self._context and (self._context.search(before) or self._context.search(after)):
            score += CONTEXT_BOOST
        if self._negative and self._negative.search(before):
            score -= NEGATIVE_CONTEXT_PENALTY
        return round(min(max(score, 0.0), 1.0), 2)
