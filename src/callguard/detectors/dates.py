"""Dates of a person (Safe Harbor C): cued dates (HIPAA013) and calendar dates (HIPAA037).

Safe Harbor removes "all elements of dates (except year) for dates directly related to an
individual". Two rules share the date grammar here, at two levels of certainty:

* HIPAA013 (`person_date`, a warning): a date after a cue that ties it to the person (birth,
  admission, discharge, death, service), in the cue's turn or the answer to it. Any written or
  spoken form counts, also month and year alone and six or eight digits said one by one.
* HIPAA037 (`calendar_date`, a note): a full calendar date, day and month with or without a
  year, anywhere in a health conversation or record. In a clinic's, pharmacy's or plan's call,
  such a date is nearly always someone's appointment, refill, visit, onset or birth. What is
  not a calendar date is never reported: weekdays, "today", "in five minutes", clock times,
  bare years, month and year, durations. The organisation's own calendar ("we are closed on
  July 4th for the holiday"), versions and the timestamp that opens a log line are left out.

The engine merges overlapping findings of one entity type, so a cued date is reported once, by
HIPAA013, the more confident rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from callguard.detectors.conversation import CueRule
from callguard.detectors.cues import longest_match, without_lookarounds
from callguard.detectors.search import FastRegex, RE2Spans
from callguard.detectors.spoken import digit_runs
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.named import DetectorFactory
from callguard.rule import Match, Reach, Rule

_UNIT = "one|two|three|four|five|six|seven|eight|nine"
_TEEN = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ORDINAL = (
    r"(?:(?:twenty|thirty)[\s-])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    r"|eighteenth|nineteenth|twentieth|thirtieth"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY_NUMBER = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DAY = (
    rf"(?:{_DAY_NUMBER}|{_ORDINAL}|(?:twenty|thirty)[\s-](?:{_UNIT})|{_TEEN}|{_UNIT}"
    r"|twenty|thirty)"
)
_SPOKEN_YEAR = (
    rf"(?:nineteen|twenty)[\s-](?:(?:oh|o)[\s-](?:{_UNIT})|(?:{_TENS})(?:[\s-](?:{_UNIT}))?|{_TEEN})"
    rf"|two thousand(?:[\s-]and)?(?:[\s-](?:{_TEEN}|(?:{_TENS})(?:[\s-](?:{_UNIT}))?|{_UNIT}))?"
)
_YEAR = rf"(?:(?:19|20)\d\d|'\d\d|{_SPOKEN_YEAR})"
_NUMERIC_DATE = (
    r"(?<![\d/.-])(?:\d{1,2}[/-]\d{1,2}(?:[/-](?:\d{4}|\d{2}))?|\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})"
    r"|(?:19|20)\d\d-\d{1,2}-\d{1,2})(?![\d/])"
)
# Any date a cue can point at: also month and year alone, and digits without a year.
_DATE = re.compile(
    rf"(?<!\w)(?:{_MONTH}\s{{1,3}}(?:the\s{{1,3}})?{_DAY}(?:,?\s{{1,3}}(?:of\s{{1,3}})?{_YEAR})?"
    rf"|(?:the\s{{1,3}})?{_DAY}\s{{1,3}}(?:of\s{{1,3}})?{_MONTH}(?:,?\s{{1,3}}{_YEAR})?"
    rf"|{_MONTH},?\s{{1,3}}{_YEAR}|{_NUMERIC_DATE})(?!\w)",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(\d{1,4})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?")

# A full calendar date without a cue: day and month, in words or digits. Spelled cardinals
# ("two may", "may one day") and numbers without a year ("4/27" is an expiry or a fraction)
# are not dates on their own.
_CAL_DAY = rf"(?:{_DAY_NUMBER}|{_ORDINAL})"
_CALENDAR_RE = re.compile(
    rf"(?<!\w)(?:(?P<month1>{_MONTH})[ \t]{{1,3}}(?:the[ \t]{{1,3}})?(?P<day1>{_CAL_DAY})"
    rf"(?:,?[ \t]{{1,3}}(?:of[ \t]{{1,3}})?(?P<year1>{_YEAR}))?"
    rf"|(?P<the>the[ \t]{{1,3}})?(?P<day2>{_CAL_DAY})[ \t]{{1,3}}(?P<of>of[ \t]{{1,3}})?"
    rf"(?P<month2>{_MONTH})(?:,?[ \t]{{1,3}}(?P<year2>{_YEAR}))?"
    r"|(?<![\d/.,-])(?P<numeric>\d{1,2}(?P<sep>[/-])\d{1,2}(?P=sep)(?:(?:19|20)\d\d|\d{2})"
    r"|\d{1,2}\.\d{1,2}\.(?:19|20)\d\d|(?:19|20)\d\d(?P<isep>[/.-])\d{1,2}(?P=isep)\d{1,2})"
    r"(?![/.-]?\d))(?!\w)",
    re.IGNORECASE,
)
# What every calendar date holds: a month word or digits around a separator. Alone, it is the
# rule's RE2 trigger (a call without one skips the rule); with the rest of its line around it,
# the prefilter for text that is not ASCII: the full regex (one line at most) runs on those
# lines only.
_CALENDAR_CORE = r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|[0-9][/.\-][0-9]"
_CALENDAR_LINES = FastRegex(_CALENDAR_RE, rf"(?i)[^\n]*(?:{_CALENDAR_CORE})[^\n]*")
# The longest calendar date (a month and a spelled day and year: "September the twenty-seventh,
# of nineteen seventy seven"): with the context window, the rule's reach.
_CALENDAR_CHARS = longest_match(_CALENDAR_RE)


def _ascii_superset(pattern: str) -> str:
    """The calendar grammar for RE2, matching wherever `pattern` matches in ASCII text.

    RE2 has no lookarounds or back-references, and its `\\s` lacks the vertical tab and the
    separator controls that Python's has: lookarounds go (fewer conditions, more matches),
    a repeated separator becomes any separator, named groups lose their names (RE2 would
    work out submatches nobody reads), and each `[\\s-]` names Python's ASCII whitespace.
    """
    superset = without_lookarounds(pattern)
    superset = superset.replace("(?P=sep)", "[/-]").replace("(?P=isep)", "[/.-]")
    superset = re.sub(r"\(\?P<\w+>", "(?:", superset)
    superset = superset.replace(r"[\s-]", r"[\s\v\x1c-\x1f-]")
    if r"\s-]" in superset.replace(r"[\s\v\x1c-\x1f-]", ""):
        raise AssertionError("a whitespace class the superset does not widen")
    return "(?i)" + superset


# Where a calendar date can start in ASCII text, found by RE2 at several hundred MB/s; the full
# regex is tried there only (`_calendar_dates`).
_CALENDAR_STARTS = RE2Spans(_ascii_superset(_CALENDAR_RE.pattern), _CALENDAR_RE)
# Month words that are also common verbs: "we may 2" is not a date, "May 2nd" is.
_VERB_MONTHS = frozenset(("may", "march", "mar"))
# A clock time right after a date that opens a line: the log's own timestamp.
_CLOCK = re.compile(r"(?:T|\s{1,3})\d{1,2}:\d\d")
_CLOCK_CHARS = longest_match(_CLOCK)
_LINE_OPENING = re.compile(r"[\s\[(]{0,4}")


def _is_calendar(first: int, second: int) -> bool:
    """Month and day in either order (US or day-first), or a year first (ISO)."""
    if first > 31:
        return 1 <= second <= 12
    return 1 <= min(first, second) <= 12 and 1 <= max(first, second) <= 31


def _is_plausible(text: str) -> bool:
    numeric = _NUMERIC.fullmatch(text)
    return numeric is None or _is_calendar(int(numeric[1]), int(numeric[2]))


def _digits_date(digits: str) -> bool:
    """Six or eight digits read as MMDDYY or MMDDYYYY ("oh three oh three eighty two")."""
    if len(digits) not in (6, 8):
        return False
    month, day, year = int(digits[:2]), int(digits[2:4]), digits[4:]
    return 1 <= month <= 12 and 1 <= day <= 31 and (len(year) == 2 or year[:2] in ("19", "20"))


def _collapse(text: str) -> str:
    return " ".join(text.lower().split())


def find_date(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The first date in text[start:end], written, with a month name, or spoken digit by digit."""
    found = next((m for m in _DATE.finditer(text, start, end) if _is_plausible(m.group())), None)
    best = (found.start(), found.end(), _collapse(found.group())) if found else None
    for run in digit_runs(text, start, end):
        if _digits_date(run.digits) and (best is None or run.spans[0][0] < best[0]):
            best = (run.spans[0][0], run.spans[-1][1], run.digits)
            break
    return best


class PersonDate(CueRule):
    """A date said after a cue that ties it to the person: birth, admission, discharge, death,
    service. Without such a cue only a full calendar date is reported, by HIPAA037."""

    def _answer(self, text: str, regions: list[tuple[int, int]]) -> Match | None:
        for start, end in regions:
            found = find_date(text, start, end)
            if found is not None:
                begin, stop, value = found
                return Match(self.meta.id, self.meta.confidence, value, ((begin, stop),))
        return None


def _person_date(meta: RuleMeta, options: Mapping[str, Any]) -> Rule:
    return PersonDate(meta, options)


class CalendarDate:
    """HIPAA037: a full calendar date (day and month) in a health conversation, without a cue.

    Options: `negative_context`, words that make a date the organisation's own ("holiday",
    "closed", "version") when they are in the date's line within `context_window` characters.
    A date with a year is more identifying and scores `YEAR_BOOST` higher.
    """

    YEAR_BOOST = 0.1

    def __init__(self, meta: RuleMeta, options: Mapping[str, Any]) -> None:
        unknown = set(options) - {"negative_context", "context_window"}
        if unknown:
            raise ValueError(f"unknown option(s): {', '.join(sorted(unknown))}")
        self._meta = meta
        words = [str(word) for word in options.get("negative_context", ())]
        alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
        self._negative = (
            re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if words else None
        )
        self._window = int(options.get("context_window", 48))

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    @property
    def trigger(self) -> str:
        """RE2: a document without a month word or a numeric date skips the rule."""
        return f"(?i){_CALENDAR_CORE}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._meta.id})"

    @property
    def reach(self) -> Reach | None:
        """A date is one line's text (its regex never crosses a line break), judged by what
        lies within `context_window` characters of it in its line, the few characters that
        open the line before it and a clock time right after it: everything lies within the
        longest date plus the wider of the window and the clock of where the date starts."""
        if _CALENDAR_CHARS is None or _CLOCK_CHARS is None:
            return None
        return Reach(chars=_CALENDAR_CHARS + max(self._window, _CLOCK_CHARS))

    def scan(self, document: Document) -> Iterator[Match]:
        text = document.text
        for found in _calendar_dates(text, document.focus_spans(self.reach)):
            if not self._is_person_date(text, found):
                continue
            has_year = bool(found["year1"] or found["year2"] or found["numeric"])
            score = self._meta.confidence + (self.YEAR_BOOST if has_year else 0.0)
            yield Match(
                rule_id=self._meta.id,
                confidence=round(min(score, 1.0), 2),
                value=_collapse(found.group()),
                spans=(found.span(),),
            )

    def _is_person_date(self, text: str, found: re.Match[str]) -> bool:
        """A real date, not a verb ("may 2"), a log timestamp or the organisation's calendar."""
        if found["numeric"]:
            numeric = _NUMERIC.fullmatch(found["numeric"])
            if numeric is None or not _is_calendar(int(numeric[1]), int(numeric[2])):
                return False
            if _is_line_timestamp(text, found.start(), found.end()):
                return False
        elif not _is_worded_date(found):
            return False
        return not self._is_organisation_date(text, found.start(), found.end())

    def _is_organisation_date(self, text: str, start: int, end: int) -> bool:
        if self._negative is None:
            return False
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        begin, stop = max(line_start, start - self._window), min(line_end, end + self._window)
        return self._negative.search(text, begin, stop) is not None


def _calendar_dates(text: str, spans: Sequence[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """The matches of the calendar regex starting in the sorted, disjoint `spans`, exactly as
    `finditer` over the whole text finds them.

    `finditer` tries the regex at each position and, after a match, goes on from its end. In
    ASCII text the regex can only match where its RE2 superset can, so only those positions
    are tried: the few hundred date-like places per MB instead of every character of every
    line holding a digit and a dash (the log's own timestamps put one on nearly every line).
    Other text is searched line by line through the `_CALENDAR_LINES` prefilter.
    """
    if not text.isascii() or not _CALENDAR_STARTS.knows_starts:
        yield from _CALENDAR_LINES.finditer_in(text, spans)
        return
    size = len(text)
    for low, high in spans:
        # A date starting before `high` ends within the longest date of it.
        end = size if _CALENDAR_CHARS is None else min(size, high + _CALENDAR_CHARS)
        position = low
        while position < high:
            start = _CALENDAR_STARTS.earliest_start(text, position, end)
            if start is None or start >= high:
                break
            found = _CALENDAR_RE.match(text, start)
            if found is None:
                position = start + 1
                continue
            yield found
            position = found.end()


def _is_worded_date(found: re.Match[str]) -> bool:
    """A month word that is also a verb ("may", "march") needs a sure day or a year."""
    month = (found["month1"] or found["month2"]).rstrip(".")
    day = found["day1"] or found["day2"]
    if month.islower() and month in _VERB_MONTHS and day.isdigit():
        return bool(found["year1"] or found["year2"] or found["the"] or found["of"])
    return True


def _is_line_timestamp(text: str, start: int, end: int) -> bool:
    """A numeric date that opens its line and is followed by a clock time: a log timestamp."""
    line_start = text.rfind("\n", 0, start) + 1
    opening = _LINE_OPENING.match(text, line_start, start)
    return opening is not None and opening.end() == start and bool(_CLOCK.match(text, end))


def _calendar_date(meta: RuleMeta, options: Mapping[str, Any]) -> Rule:
    return CalendarDate(meta, options)


DETECTORS: dict[str, DetectorFactory] = {
    "person_date": _person_date,
    "calendar_date": _calendar_date,
}
