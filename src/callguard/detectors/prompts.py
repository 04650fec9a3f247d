"""Prompt -> answer rules: a number said in answer to a question, near card (or bank) talk.

In a call the value rarely sits next to a label: the agent asks ("and the three digits on the
back?") and the customer answers a turn later, often in words ("seven three seven"). So these
rules start from a *prompt*, look for the *answer* in the rest of that turn and in the next turns
of the other speaker (`callguard.detectors.answer_regions`), and report the first number there
that fits. A prompt counts only with card talk nearby, so "security code" for a text-message
login or "PIN code for the door" stay quiet.

`PromptedDigitsRule` is driven by YAML options (prompts, context words, digit counts, validators)
and serves the CVV and PIN rules (`callguard.detectors.sad`) and the bank rules
(`callguard.detectors.bank` adds their validators); `ExpiryRule` in `sad` extends it with dates.
This module defines no named-code tables: `sad` registers the factories.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from typing import Any

from callguard.detectors.answer_regions import (
    AnswerWindow,
    Utterance,
    answer_regions,
    redaction_marker,
    utterances_from,
)
from callguard.detectors.cue_turns import answer_end
from callguard.detectors.search import FastRegex, words_prefilter
from callguard.detectors.spoken import DigitRun, digit_runs
from callguard.detectors.validators import is_card_number
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.rule import Match, Reach

# -- digit runs (callguard.detectors.spoken reads digits said as words) -----------------------


def run_start(run: DigitRun) -> int:
    """Analysis-text offset where the run's first digit was said."""
    return run.spans[0][0]


def run_end(run: DigitRun) -> int:
    """Analysis-text offset just past the run's last digit."""
    return run.spans[-1][1]


def is_spoken(text: str, run: DigitRun) -> bool:
    """True if any digit of the run came from a word rather than a written digit."""
    return any(not text[start:end].isdigit() for start, end in run.spans)


def merge_spans(text: str, spans: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """One span per stretch of the same line: "seven, three seven" is one location, not three."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and _GLUE.fullmatch(text, merged[-1][1], start):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


_GLUE = re.compile(r"[ \t,./'-]{0,12}|[ \t,]{0,3}(?:um|uh|er|slash|of)[ \t,]{0,3}", re.IGNORECASE)

# -- context ----------------------------------------------------------------------------------


def words_regex(words: Sequence[str]) -> FastRegex | None:
    """Whole-word, case-insensitive alternatives; entries are regex fragments from a rule pack."""
    if not words:
        return None
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    full = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    return FastRegex(full, words_prefilter(alternatives))


def has_card_nearby(text: str, start: int, end: int, words: FastRegex | None) -> bool:
    """Card talk in text[start:end]: a card word, or a number that is a valid PAN."""
    if words is not None and words.search(text, start, end):
        return True
    return any(
        13 <= len(run.digits) <= 19 and is_card_number(run.digits)
        for run in digit_runs(text, start, end)
    )


# Local reasons a number is not an answer: a label right before it, a unit right after it,
# or a read-back of the card's last digits.
_LABEL = (
    r"(?:room|suite|apt|apartment|unit|floor|order|ticket|case|claim|ext|extension|flight|"
    r"invoice|box|zip|route|error(?: code)?|item|model|version|ref|reference|confirmation|id|"
    r"ending(?: in| with)?|ends(?: in| with)?|last (?:four|4|digits?|three|3)|[$£€])"
    r"[ \t:#.,]{0,4}(?:(?:is|was|are|of)[ \t]{1,2})?"
)
_LABEL_BEFORE = re.compile(_LABEL + "$", re.IGNORECASE)
UNIT_AFTER = re.compile(
    r"[ \t]{0,2}(?:minutes?|mins?|seconds?|secs?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"dollars?|bucks|cents?|percent|%|am|pm|a\.m|p\.m|o'clock|st|nd|rd|th|main|street|ave|"
    r"miles?|[:/][ \t]{0,2}\d|\.\d)(?!\w)",
    re.IGNORECASE,
)
_PHONE_SHAPE = re.compile(r"\(?\d{3}\)?[ .-]{1,2}\d{3}[ .-]\d{4}")


def is_excluded(text: str, run: DigitRun) -> bool:
    """True if the run is labelled as something else, carries a unit, or begins a phone number
    ("(727) 555-0127": the area code in brackets is a run of its own)."""
    start = run_start(run)
    if start > 0 and text[start - 1] in "/:.":
        return True
    if _ends_with_label(text[max(0, start - 24) : start]) or UNIT_AFTER.match(text, run_end(run)):
        return True
    phone_start = start - 1 if start > 0 and text[start - 1] == "(" else start
    return _PHONE_SHAPE.match(text, phone_start) is not None


def _ends_with_label(before: str) -> bool:
    """Whether `before` ends with a label (`_LABEL_BEFORE`).

    `re` tries the label's forty words at every character (about 15 us for the 24 characters
    read); RE2 reads them once, as a whole match ending there (a sixth of that). ASCII text
    only, where the two fold case alike; `$` allows a final newline after the label.
    """
    ending = _label_ending()
    if ending is not None and before.isascii():
        return ending.fullmatch(before.encode("ascii")) is not None
    return _LABEL_BEFORE.search(before) is not None


@cache
def _label_ending() -> Any:
    """`_LABEL_BEFORE` as an RE2 whole match, or None without google-re2."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        return None
    return re2.compile(rf"(?is).*(?:{_LABEL})\n?".encode())


# -- prompt -> answer rules -------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A value found in an answer: normalised value, analysis spans, said in words or not."""

    value: str = field(repr=False)
    spans: tuple[tuple[int, int], ...]
    spoken: bool


@dataclass(frozen=True)
class PromptOptions:
    """A prompted rule's options, parsed once from its YAML `options` mapping."""

    prompts: FastRegex
    context: FastRegex | None
    negative: FastRegex | None
    digits: tuple[int, int]
    validators: tuple[Callable[[str], bool], ...]
    skip_valid: tuple[Callable[[str], bool], ...]
    skip_near: FastRegex | None
    direct: tuple[FastRegex, ...]
    window: AnswerWindow
    # RE2: every `direct` match lies within a hit (`FastRegex`); without one, `re` reads all.
    direct_prefilter: str | None = None
    context_chars: int = 300
    negative_chars: int = 40
    not_expiry: bool = False


def parse_options(options: Mapping[str, Any]) -> PromptOptions:
    """Check and compile the options; a bad one raises KeyError/TypeError/ValueError."""
    from callguard.named import named_code

    validators = named_code().validators
    try:
        prompts = words_regex([str(word) for word in options["prompts"]])
        direct_prefilter = (
            str(options["direct_prefilter"]) if "direct_prefilter" in options else None
        )
        direct = tuple(
            FastRegex(re.compile(str(rx), re.IGNORECASE), direct_prefilter)
            for rx in options.get("direct", [])
        )
        context = words_regex([str(word) for word in options.get("context", [])])
        negative = words_regex([str(word) for word in options.get("negative", [])])
        skip_near = words_regex([str(word) for word in options.get("skip_near", [])])
    except re.error as exc:
        raise ValueError(f"invalid regex: {exc}") from None
    if prompts is None:
        raise ValueError("prompts must not be empty")
    low, high = (int(n) for n in options.get("digits", (3, 4)))
    return PromptOptions(
        prompts=prompts,
        context=context,
        negative=negative,
        digits=(low, high),
        validators=tuple(validators[str(name)] for name in options.get("validate", [])),
        skip_valid=tuple(validators[str(name)] for name in options.get("skip_valid", [])),
        skip_near=skip_near,
        direct=direct,
        window=AnswerWindow(
            same_turn_chars=int(options.get("same_turn_chars", 80)),
            turns=int(options.get("answer_turns", 3)),
            turn_chars=int(options.get("answer_chars", 120)),
        ),
        context_chars=int(options.get("context_chars", 300)),
        negative_chars=int(options.get("negative_chars", 40)),
        not_expiry=bool(options.get("not_expiry", False)),
        direct_prefilter=direct_prefilter,
    )


MAX_RUNS_PER_REGION = 4
# The longest labelled log field (`direct`) a prompted rule reads, label and value: PIN blocks
# and bank fields are a few dozen characters.
MAX_FIELD_CHARS = 120
_EXPIRY_WORD = re.compile(r"(?<!\w)(?:exp\w{0,7}|valid|good (?:thru|through))(?!\w)", re.I)


class PromptedDigitsRule:
    """A number answering a prompt ("security code?" -> "seven three seven"), in digits or words."""

    def __init__(self, meta: RuleMeta, options: PromptOptions) -> None:
        self._meta = meta
        self._options = options
        self._utterances = options.window.turns + 1  # the prompt's utterance and the replies
        # How many lines on an answer may be: each reply may follow a blank or time-stamp line
        # (utterances skip those) and a chat message may run over lines.
        self._answer_lines = 2 * self._utterances
        self._veto_hint = options.negative.prefilter_spans if options.negative else None

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._meta.id})"

    @property
    def reach(self) -> Reach:
        """A prompt lies within `context_chars` of its card talk and veto words, and within
        `_answer_lines` lines of its answer (`scan` reads no further); a log field's value
        sits in its own field. Only those characters lie before a prompt: its answer follows
        it, and the utterance it starts in is its own line in every format read back with a
        focus (`callguard.redaction.readback`), so no line before."""
        options = self._options
        chars = max(options.context_chars, options.negative_chars, MAX_FIELD_CHARS)
        return Reach(chars=chars, lines=self._answer_lines, lines_before=0)

    @property
    def trigger(self) -> str | None:
        """The prompt words (RE2): no prompt, no answer; log-field patterns need their own."""
        options = self._options
        if not options.direct:
            return options.prompts.prefilter
        if options.direct_prefilter is None:
            return None
        return f"(?:{options.prompts.prefilter})|(?:{options.direct_prefilter})"

    def scan(self, document: Document) -> Iterator[Match]:
        text = document.text
        seen: set[int] = set()
        focus = document.focus_spans(self.reach)
        for direct in self._direct(text, focus):
            seen.add(direct.spans[0][0])
            yield self._match(direct, "log field")
        for prompt in self._options.prompts.finditer_in(text, focus):
            found = list(islice(utterances_from(document, prompt.start()), self._utterances))
            if not found:
                continue
            limit = answer_end(text, prompt.start(), self._answer_lines)
            answer = self._answer(text, found, 0, prompt, limit)
            if answer is None or answer.spans[0][0] in seen:
                continue  # most prompts a read-back meets: their answer is redacted already
            if self._is_live(text, found[0], prompt):
                seen.add(answer.spans[0][0])
                yield self._match(answer, "spoken" if answer.spoken else "")

    def _answer(
        self,
        text: str,
        found: Sequence[Utterance],
        index: int,
        prompt: re.Match[str],
        limit: int,
    ) -> Answer | None:
        """The answer to one prompt: the first region (this turn, then replies) holding one.

        A redaction marker (`[CARD_CVV]`, a `[[cg1:...]]` token, a `###` mask) where the answer
        would be means the answer was given and already redacted: the search stops there, so a
        redacted transcript does not offer the next number (a phone's area code) as the answer.
        """
        for start, end in answer_regions(found, index, prompt.end(), self._options.window):
            if start >= limit:
                break  # too many lines on to be this prompt's answer (`reach`)
            region = (start, min(end, limit))
            answer = self._find(text, region, found[index], prompt)
            marker = redaction_marker(text, *region)
            if marker is not None and (answer is None or marker.start() < answer.spans[0][0]):
                return None
            if answer is not None:
                return answer
        return None

    def _direct(self, text: str, focus: Sequence[tuple[int, int]]) -> Iterator[Answer]:
        """Values in a labelled log field (`pin_block=...`): no prompt or context needed."""
        for regex in self._options.direct:
            for found in regex.finditer_in(text, focus):
                start, end = found.span("value")
                yield Answer(found.group("value").upper(), ((start, end),), spoken=False)

    def _is_live(self, text: str, utterance: Utterance, prompt: re.Match[str]) -> bool:
        """A prompt counts if no veto word is next to it and card (or bank) talk is near."""
        options = self._options
        near_start = max(utterance.body, prompt.start() - options.negative_chars)
        near_end = min(utterance.end, prompt.end() + options.negative_chars)
        if options.negative is not None and options.negative.search(text, near_start, near_end):
            return False
        if options.context is None:
            return True
        start = max(0, prompt.start() - options.context_chars)
        end = min(len(text), prompt.end() + options.context_chars // 2)
        return has_card_nearby(text, start, end, options.context)

    def _find(
        self, text: str, region: tuple[int, int], utterance: Utterance, prompt: re.Match[str]
    ) -> Answer | None:
        """The first run in the region that fits; a veto word before it ends the search.

        One RE2 search of the region tells where a veto word can start at the earliest: the
        runs before that need no search of their own for one.
        """
        negative = self._options.negative
        veto: int | None = None
        for count, run in enumerate(digit_runs(text, *region)):
            if count >= MAX_RUNS_PER_REGION:
                break
            start = run_start(run)
            if veto is None:
                veto = self._earliest_veto(text, *region)
            if veto < start and negative is not None and negative.search(text, region[0], start):
                break
            if is_excluded(text, run) or not self._fits(text, run, utterance):
                continue
            return Answer(run.digits, merge_spans(text, run.spans), is_spoken(text, run))
        return None

    def _earliest_veto(self, text: str, start: int, end: int) -> int:
        """Where a veto word in text[start:end] can start at the earliest; `end` if none can."""
        if self._veto_hint is None:
            return end
        first = self._veto_hint.earliest_start(text, start, end)
        return end if first is None else first

    def _fits(self, text: str, run: DigitRun, utterance: Utterance) -> bool:
        options = self._options
        value = run.digits
        if not options.digits[0] <= len(value) <= options.digits[1]:
            return False
        if not all(is_valid(value) for is_valid in options.validators):
            return False
        skip = any(is_valid(value) for is_valid in options.skip_valid)
        if (
            skip
            and options.skip_near
            and options.skip_near.search(text, utterance.start, run_start(run))
        ):
            return False
        if options.not_expiry and len(value) == 4 and 1 <= int(value[:2]) <= 12:
            return _EXPIRY_WORD.search(text, utterance.start, run_start(run)) is None
        return True

    def _match(self, answer: Answer, how: str) -> Match:
        detail = f"{len(answer.value)} characters" + (f", {how}" if how else "")
        return Match(
            rule_id=self._meta.id,
            confidence=self._meta.confidence,
            value=answer.value,
            spans=answer.spans,
            detail=detail,
        )


def prompted_digits(meta: RuleMeta, options: Mapping[str, Any]) -> PromptedDigitsRule:
    """Factory for `detector: prompted_digits` (PCI010 CVV, PCI013 PIN, PCI020/PCI021 bank)."""
    return PromptedDigitsRule(meta, parse_options(options))
