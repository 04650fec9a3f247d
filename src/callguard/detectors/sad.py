"""Sensitive authentication data said in calls: CVV, PIN and expiry answers, track data in logs.

In a call the value rarely sits next to a label: the agent asks ("and the three digits on the
back?") and the customer answers a turn later, often in words ("seven three seven"). So these
rules start from a *prompt*, look for the *answer* in the rest of that turn and in the next turns
of the other speaker, and report the first number there that fits. A prompt counts only with card
talk nearby, so "security code" for a text-message login or "PIN code for the door" stay quiet.

`PromptedDigitsRule` is driven by YAML options (prompts, context words, digit counts, validators)
and also serves the bank rules (`callguard.detectors.bank` adds their validators). `ExpiryRule`
answers with dates. Documents without turns fall back to lines as utterances.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from callguard.detectors.search import FastRegex, words_prefilter
from callguard.detectors.spoken import DigitRun, digit_runs
from callguard.detectors.validators import is_card_number
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.rule import Match

# -- digit runs (callguard.detectors.spoken reads digits said as words) -----------------------


def _start(run: DigitRun) -> int:
    return run.spans[0][0]


def _end(run: DigitRun) -> int:
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

# -- utterances and where their answers are ---------------------------------------------------


@dataclass(frozen=True)
class Utterance:
    """One turn, or one line of a document without turns; `body` starts after a speaker label."""

    start: int
    body: int
    end: int
    speaker: str | None


_LINE = re.compile(r"[^\n]+")
_LABEL = re.compile(
    r"[ \t]{0,8}(?:\[[^\]\n]{1,40}\][ \t]{1,4})?(?:\d{1,2}:\d{2}(?::\d{2})?[ \t]{1,4})?"
    r"([A-Za-z][\w'.-]{0,30}(?: [A-Za-z][\w'.-]{0,30}){0,2})[ \t]{0,4}[:>](?=\s|$)"
)


def utterances(document: Document) -> list[Utterance]:
    """The document's turns in order, with every line outside a turn as an utterance of its own."""
    text = document.text
    found: list[Utterance] = []
    cursor = 0
    for turn in document.turns:
        found.extend(_lines(text, cursor, turn.start))
        label = _LABEL.match(text, turn.start, turn.end)
        speaker = turn.speaker or (label.group(1) if label else None)
        body = label.end() if label else turn.start
        found.append(Utterance(turn.start, body, turn.end, _speaker_key(speaker)))
        cursor = max(cursor, turn.end)
    found.extend(_lines(text, cursor, len(text)))
    return found


def _lines(text: str, start: int, end: int) -> Iterator[Utterance]:
    for line in _LINE.finditer(text, start, end):
        if line.group().strip():
            label = _LABEL.match(text, line.start(), line.end())
            speaker = _speaker_key(label.group(1)) if label else None
            body = label.end() if label else line.start()
            yield Utterance(line.start(), body, line.end(), speaker)


def _speaker_key(speaker: str | None) -> str | None:
    return " ".join(speaker.lower().split()) if speaker else None


def utterance_at(found: Sequence[Utterance], starts: Sequence[int], position: int) -> int:
    """Index of the utterance holding `position` (the one starting last at or before it)."""
    return max(bisect.bisect_right(starts, position) - 1, 0)


@dataclass(frozen=True)
class AnswerWindow:
    """How far an answer may be from its prompt: chars in the same turn, turns, chars per turn."""

    same_turn_chars: int = 80
    turns: int = 3
    turn_chars: int = 120


def answer_regions(
    found: Sequence[Utterance], index: int, after: int, window: AnswerWindow
) -> list[tuple[int, int]]:
    """The rest of the prompt's turn, then the next turns of another speaker (labels skipped)."""
    prompt = found[index]
    regions = [(after, min(prompt.end, after + window.same_turn_chars))]
    for reply in found[index + 1 : index + 1 + window.turns]:
        if prompt.speaker and reply.speaker == prompt.speaker:
            continue
        regions.append((reply.body, min(reply.end, reply.body + window.turn_chars)))
    return regions


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
_LABEL_BEFORE = re.compile(
    r"(?:room|suite|apt|apartment|unit|floor|order|ticket|case|claim|ext|extension|flight|"
    r"invoice|box|zip|route|error(?: code)?|item|model|version|ref|reference|confirmation|id|"
    r"ending(?: in| with)?|ends(?: in| with)?|last (?:four|4|digits?|three|3)|[$£€])"
    r"[ \t:#.,]{0,4}(?:(?:is|was|are|of)[ \t]{1,2})?$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"[ \t]{0,2}(?:minutes?|mins?|seconds?|secs?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"dollars?|bucks|cents?|percent|%|am|pm|a\.m|p\.m|o'clock|st|nd|rd|th|main|street|ave|"
    r"miles?|[:/][ \t]{0,2}\d|\.\d)(?!\w)",
    re.IGNORECASE,
)
_PHONE_SHAPE = re.compile(r"\(?\d{3}\)?[ .-]{1,2}\d{3}[ .-]\d{4}")


def is_excluded(text: str, run: DigitRun) -> bool:
    """True if the run is labelled as something else, carries a unit, or is a phone number."""
    before = text[max(0, _start(run) - 24) : _start(run)]
    if _start(run) > 0 and text[_start(run) - 1] in "/:.":
        return True
    if _LABEL_BEFORE.search(before) or _UNIT_AFTER.match(text, _end(run)):
        return True
    return _PHONE_SHAPE.fullmatch(text, _start(run), _end(run)) is not None


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
    direct: tuple[re.Pattern[str], ...]
    window: AnswerWindow
    context_chars: int = 300
    negative_chars: int = 40
    not_expiry: bool = False


def parse_options(options: Mapping[str, Any]) -> PromptOptions:
    """Check and compile the options; a bad one raises KeyError/TypeError/ValueError."""
    from callguard.named import named_code

    validators = named_code().validators
    try:
        prompts = words_regex([str(word) for word in options["prompts"]])
        direct = tuple(re.compile(str(rx), re.IGNORECASE) for rx in options.get("direct", []))
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
    )


_MAX_RUNS_PER_REGION = 4
_EXPIRY_WORD = re.compile(r"(?<!\w)(?:exp\w{0,7}|valid|good (?:thru|through))(?!\w)", re.I)


class PromptedDigitsRule:
    """A number answering a prompt ("security code?" -> "seven three seven"), in digits or words."""

    def __init__(self, meta: RuleMeta, options: PromptOptions) -> None:
        self._meta = meta
        self._options = options

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._meta.id})"

    def scan(self, document: Document) -> Iterator[Match]:
        text = document.text
        seen: set[int] = set()
        for direct in self._direct(text):
            seen.add(direct.spans[0][0])
            yield self._match(direct, "log field")
        prompts = list(self._options.prompts.finditer(text))
        found = utterances(document) if prompts else []
        starts = [utterance.start for utterance in found]
        for prompt in prompts if found else ():
            index = utterance_at(found, starts, prompt.start())
            if not self._is_live(text, found[index], prompt):
                continue
            answer = self._answer(text, found, index, prompt)
            if answer is not None and answer.spans[0][0] not in seen:
                seen.add(answer.spans[0][0])
                yield self._match(answer, "spoken" if answer.spoken else "")

    def _answer(
        self, text: str, found: Sequence[Utterance], index: int, prompt: re.Match[str]
    ) -> Answer | None:
        """The answer to one prompt: the first region (this turn, then replies) holding one."""
        for region in answer_regions(found, index, prompt.end(), self._options.window):
            answer = self._find(text, region, found[index], prompt)
            if answer is not None:
                return answer
        return None

    def _direct(self, text: str) -> Iterator[Answer]:
        """Values in a labelled log field (`pin_block=...`): no prompt or context needed."""
        for regex in self._options.direct:
            for found in regex.finditer(text):
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
        """The first run in the region that fits; a veto word before it ends the search."""
        negative = self._options.negative
        for count, run in enumerate(digit_runs(text, *region)):
            if count >= _MAX_RUNS_PER_REGION:
                break
            if negative is not None and negative.search(text, region[0], _start(run)):
                break
            if is_excluded(text, run) or not self._fits(text, run, utterance):
                continue
            return Answer(run.digits, merge_spans(text, run.spans), is_spoken(text, run))
        return None

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
            and options.skip_near.search(text, utterance.start, _start(run))
        ):
            return False
        if options.not_expiry and len(value) == 4 and 1 <= int(value[:2]) <= 12:
            return _EXPIRY_WORD.search(text, utterance.start, _start(run)) is None
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


# -- expiry dates -----------------------------------------------------------------------------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SLASHED = re.compile(r"(?<![\w/.:-])(0?[1-9]|1[0-2]) ?[/-] ?(20\d{2}|\d{2})(?![\w/:-]|\.\d)")
_COMPACT = re.compile(r"(?<![\w/])(0[1-9]|1[0-2])(\d{2})(?![\w/])")
_MONTH_YEAR = re.compile(
    r"(?<!\w)(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?[ \t]{1,3}"
    r"(of[ \t]{1,3})?('[ \t]?)?(?=\w)",
    re.IGNORECASE,
)
_SLASH_WORD = re.compile(r"[ \t]{0,2}(?:/|slash|-)[ \t]{0,2}", re.IGNORECASE)
_SLASH_DIGIT = re.compile(r"[ \t]{0,2}(?:/|slash|-)[ \t]{0,2}(?:\d|zero|oh|one|two|nine)", re.I)
_PAN_THEN_DATE = FastRegex(
    re.compile(
        r"(?<![\w.])(\d(?:[ -]?\d){12,18})[ \t,;|]{1,3}"
        r"((?:0?[1-9]|1[0-2])/(?:20\d{2}|\d{2}))(?![\w/])"
    ),
    r"[0-9](?:[ -]?[0-9]){12,18}[ \t,;|]{1,3}[0-9]{1,2}/[0-9]{2}",
)


def _mmyy(month: str, year: str) -> str | None:
    """'0427' for a plausible card expiry month and year, else None."""
    if not month.isdigit() or not year.isdigit() or not 1 <= int(month) <= 12:
        return None
    if len(year) == 4:
        year = year[2:] if year.startswith("20") else ""
    return f"{int(month):02d}{year}" if len(year) == 2 else None


class ExpiryRule(PromptedDigitsRule):
    """An expiry date answering an expiry prompt, near card talk, or right after a PAN."""

    def scan(self, document: Document) -> Iterator[Match]:
        text = document.text
        starts = set()
        for match in super().scan(document):
            starts.add(match.spans[0][0])
            yield match
        for found in _PAN_THEN_DATE.finditer(text):
            pan = re.sub(r"\D", "", found.group(1))
            month, year = found.group(2).split("/")
            value = _mmyy(month, year)
            if value and is_card_number(pan) and found.start(2) not in starts:
                yield self._match(Answer(value, (found.span(2),), False), "after a card number")

    def _find(
        self, text: str, region: tuple[int, int], utterance: Utterance, prompt: re.Match[str]
    ) -> Answer | None:
        start, end = region
        negative = self._options.negative
        candidates = [
            _slashed(text, start, end),
            _month_year(text, start, end),
            _spoken_date(text, start, end),
        ]
        if start == prompt.end():
            compact = _COMPACT.search(text, start, min(end, start + 8))
            if compact:
                value = _mmyy(compact.group(1), compact.group(2))
                candidates.append(Answer(value, (compact.span(),), False) if value else None)
        found = [answer for answer in candidates if answer is not None]
        if not found:
            return None
        best = min(found, key=lambda answer: answer.spans[0][0])
        if negative is not None and negative.search(text, start, best.spans[0][0]):
            return None
        return best


def _slashed(text: str, start: int, end: int) -> Answer | None:
    for found in _SLASHED.finditer(text, start, end):
        value = _mmyy(found.group(1), found.group(2))
        if value:
            return Answer(value, (found.span(),), False)
    return None


def _month_year(text: str, start: int, end: int) -> Answer | None:
    """'April 2027', 'April twenty twenty seven', "April of '27": a month, then a year."""
    for found in _MONTH_YEAR.finditer(text, start, end):
        runs = digit_runs(text, found.end(), min(len(text), found.end() + 40))
        if not runs or _start(runs[0]) != found.end():
            continue
        year = runs[0].digits
        # "April of '27" is a year; "April 27" too where a card's expiry is asked (no day on
        # a card), unless it is an ordinal ("April 27th") or out of a card's range.
        short_ok = bool(found.group(2) or found.group(3)) or (
            20 <= int(year[-2:]) <= 45 and not _UNIT_AFTER.match(text, _end(runs[0]))
        )
        if len(year) == 4 or (len(year) == 2 and short_ok):
            value = _mmyy(str(_MONTHS.index(found.group(1)[:3].lower()) + 1), year)
            if value:
                spans = merge_spans(text, [(found.start(), found.end()), *runs[0].spans])
                return Answer(value, spans, is_spoken(text, runs[0]))
    return None


def _spoken_date(text: str, start: int, end: int) -> Answer | None:
    """'oh four twenty seven', 'zero four slash two seven', 'four twenty-seven'."""
    runs = digit_runs(text, start, end)
    for index, run in enumerate(runs[:_MAX_RUNS_PER_REGION]):
        digits, spans = run.digits, list(run.spans)
        following = runs[index + 1] if index + 1 < len(runs) else None
        slash = following and _SLASH_WORD.fullmatch(text, _end(run), _start(following))
        if len(digits) <= 2 and following and slash:
            if _SLASH_DIGIT.match(text, _end(following)):
                continue  # a full date, 04/27/2024
            digits, spans = digits.zfill(2) + following.digits, spans + list(following.spans)
        if len(digits) == 3:
            digits = "0" + digits
        value = _mmyy(digits[:2], digits[2:]) if len(digits) in (4, 6) else None
        if value and 10 <= int(value[2:]) <= 49 and not is_excluded(text, run):
            return Answer(value, merge_spans(text, spans), is_spoken(text, run))
    return None


def card_expiry(meta: RuleMeta, options: Mapping[str, Any]) -> ExpiryRule:
    """Factory for `detector: card_expiry` (PCI011)."""
    return ExpiryRule(meta, parse_options(options))


# -- magnetic-stripe track data ---------------------------------------------------------------

_TRACK1 = re.compile(r"%?B(\d{12,19})\^[^^\n]{2,26}\^\d{2}(\d{2})\d{3}")
_TRACK2 = re.compile(r";?(\d{12,19})[=D]\d{2}(\d{2})\d{3}")


def is_track_data(value: str) -> bool:
    """Track 1 or 2 layout whose PAN passes Luhn and a scheme's range, with a real month."""
    found = _TRACK1.match(value) or _TRACK2.match(value)
    return found is not None and is_card_number(found[1]) and 1 <= int(found[2]) <= 12


def describe_track(value: str) -> str:
    """'track 1' or 'track 2': the layout, never the content."""
    return "track 1" if _TRACK1.match(value) else "track 2"


VALIDATORS: dict[str, Callable[[str], bool]] = {"track_data": is_track_data}
DESCRIBERS: dict[str, Callable[[str], str]] = {"track_layout": describe_track}
DETECTORS: dict[str, Callable[[RuleMeta, Mapping[str, Any]], PromptedDigitsRule]] = {
    "prompted_digits": prompted_digits,
    "card_expiry": card_expiry,
}
