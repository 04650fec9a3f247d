"""Sensitive authentication data said in calls: CVV, PIN and expiry answers, track data in logs.

The CVV and PIN rules (PCI010, PCI013) are `PromptedDigitsRule`s: a number answering a prompt
near card talk (see `callguard.detectors.prompts`, which also serves the bank rules). This module
adds what is specific to card data: `ExpiryRule` (PCI011) answers with dates ("04/27", "April
twenty twenty seven", "oh four twenty seven") or finds a date right after a PAN, and the
track-data validator reads magnetic-stripe layouts. It registers the factories and validators.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from callguard.detectors.answer_regions import Utterance
from callguard.detectors.prompts import (
    MAX_RUNS_PER_REGION,
    UNIT_AFTER,
    Answer,
    PromptedDigitsRule,
    is_excluded,
    is_spoken,
    merge_spans,
    parse_options,
    prompted_digits,
    run_end,
    run_start,
)
from callguard.detectors.search import FastRegex
from callguard.detectors.spoken import digit_runs
from callguard.detectors.validators import is_card_number
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.rule import Match

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

    @property
    def trigger(self) -> str | None:
        """An expiry prompt, or a card number followed by a date."""
        prompts = super().trigger
        if prompts is None or _PAN_THEN_DATE.prefilter is None:
            return None
        return f"(?:{prompts})|(?:{_PAN_THEN_DATE.prefilter})"

    def scan(self, document: Document) -> Iterator[Match]:
        text = document.text
        starts = set()
        for match in super().scan(document):
            starts.add(match.spans[0][0])
            yield match
        for found in _PAN_THEN_DATE.finditer_in(text, document.focus_spans(self.reach)):
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
        if not runs or run_start(runs[0]) != found.end():
            continue
        year = runs[0].digits
        # "April of '27" is a year; "April 27" too where a card's expiry is asked (no day on
        # a card), unless it is an ordinal ("April 27th") or out of a card's range.
        short_ok = bool(found.group(2) or found.group(3)) or (
            20 <= int(year[-2:]) <= 45 and not UNIT_AFTER.match(text, run_end(runs[0]))
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
    for index, run in enumerate(runs[:MAX_RUNS_PER_REGION]):
        digits, spans = run.digits, list(run.spans)
        following = runs[index + 1] if index + 1 < len(runs) else None
        slash = following and _SLASH_WORD.fullmatch(text, run_end(run), run_start(following))
        if len(digits) <= 2 and following and slash:
            if _SLASH_DIGIT.match(text, run_end(following)):
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
