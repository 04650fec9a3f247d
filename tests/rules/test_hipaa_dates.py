"""Dates of a person (Safe Harbor C): HIPAA013 (cued, a warning) and HIPAA037 (a calendar date
without a cue, a note).

Positives read like calls, chats and records: appointment, refill and onset dates said or typed
without a "date of birth" cue. Hard negatives are the dates and numbers a contact center says
all day that are not a day of a person's life: weekdays, relative times, clock times, bare
years, month and year, card expiries, fractions, versions, log timestamps and the
organisation's own holidays.
"""

from __future__ import annotations

import random

import pytest

import callguard.formats
from callguard import Scanner
from callguard.detectors import dates as dates_module
from callguard.model import Finding

DATE_RULES = {"HIPAA013", "HIPAA037"}


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(profile="hipaa")


def dates(scanner: Scanner, text: str) -> list[tuple[str, str, str]]:
    """(rule id, severity, raw text) of each date finding of a plain-text transcript."""
    findings: list[Finding] = []
    for document in callguard.formats.read_text("call.txt", text):
        findings.extend(scanner.scan_document(document))
    return [
        (
            f.rule_id,
            f.severity.value,
            text[f.location.char_offset : f.location.char_offset + f.location.char_length],
        )
        for f in findings
        if f.rule_id in DATE_RULES
    ]


def p(text: str, rule: str, value: str, *, id: str) -> object:
    severity = "warning" if rule == "HIPAA013" else "note"
    return pytest.param(text, [(rule, severity, value)], id=id)


POSITIVES = [
    p("Agent: your appointment is March 3rd at 10", "HIPAA037", "March 3rd", id="appointment"),
    p(
        "Customer: um, it's been like that since 12/1/2019, the pain I mean",
        "HIPAA037",
        "12/1/2019",
        id="onset-us-slashes",
    ),
    p(
        "Caller: the refill went out on the fifth of June",
        "HIPAA037",
        "the fifth of June",
        id="spoken-ordinal-of-month",
    ),
    p(
        "Agent: okay so I have you down for april twenty second",
        "HIPAA037",
        "april twenty second",
        id="asr-lower-case-month-ordinal",
    ),
    p(
        "Customer: I saw Dr. Lee on Jan. 9, 2024 and again after",
        "HIPAA037",
        "Jan. 9, 2024",
        id="abbreviated-month-with-year",
    ),
    p(
        "Nurse: last visit 14.02.2023, no change since",
        "HIPAA037",
        "14.02.2023",
        id="day-first-dots",
    ),
    p(
        "Note added 2024-05-12 09:30: asked about refill",
        "HIPAA037",
        "2024-05-12",
        id="iso-in-a-record",
    ),
    p("Customer: may 5th works for me", "HIPAA037", "may 5th", id="asr-may-with-ordinal"),
    p(
        "Agent: I can move it to 3 June 2024 if you like",
        "HIPAA037",
        "3 June 2024",
        id="day-month-year-words",
    ),
    # With a cue, HIPAA013 reports the date (a warning) and HIPAA037 adds nothing.
    p(
        "Customer: my date of birth is March 3rd, 1982",
        "HIPAA013",
        "March 3rd, 1982",
        id="cued-date-reported-once",
    ),
    p(
        "Agent: what's the date of service?\nCustomer: uh, 04/12/2024",
        "HIPAA013",
        "04/12/2024",
        id="cued-answer-reported-once",
    ),
]

NEGATIVES = [
    pytest.param("Customer: I was admitted on Tuesday", id="weekday"),
    pytest.param("Agent: I'll call you back in five minutes, or tomorrow", id="relative-time"),
    pytest.param("Agent: we're open until 5:30 today", id="clock-time"),
    pytest.param("Customer: I've been on it since 2019", id="bare-year"),
    pytest.param("Customer: I started it in March 2019, I think", id="month-and-year"),
    pytest.param("Customer: I can come in on Tuesday, or in May", id="weekday-and-month"),
    pytest.param("Customer: card expiry 4/27, CVV on the back", id="card-expiry"),
    pytest.param("Agent: about 3/4 of the plans cover it", id="fraction"),
    pytest.param("Agent: we're closed on July 4th for the holiday", id="holiday-closure"),
    pytest.param("Agent: the office reopens January 2nd", id="office-reopens"),
    pytest.param("Agent: please update the app to version 1.2.2024", id="version-number"),
    pytest.param(
        "2024-05-12 09:30:01 INFO call started\n[2024-05-12 09:30:05] Agent: hello", id="log-stamp"
    ),
    pytest.param("Customer: those two may be the same pills", id="two-may-verb"),
    pytest.param("Customer: it may 2 or 3 days late, they said", id="asr-may-verb-digits"),
    pytest.param("Agent: it's about 24/7 support now", id="twenty-four-seven"),
    pytest.param("Agent: that's 10.20.30 on the form", id="dotted-numbers"),
    pytest.param("Agent: the reference is 12-05-5678", id="not-a-year"),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_date_found_at_exact_span(
    scanner: Scanner, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert dates(scanner, text) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_day_of_a_person_is_not_reported(scanner: Scanner, text: str) -> None:
    assert dates(scanner, text) == []


def test_date_with_year_is_more_confident_than_day_and_month() -> None:
    scanner = Scanner(profile="hipaa")
    with_year = scanner.scan_text("Customer: since March 3rd, 2019")
    without = scanner.scan_text("Customer: since March 3rd")
    assert [f.rule_id for f in with_year] == [f.rule_id for f in without] == ["HIPAA037"]
    assert with_year[0].confidence > without[0].confidence >= 0.3


# Pieces of dates and of what only looks like one, glued and spaced every way a call or log can.
_DATE_PIECES = (
    "May",
    "may",
    "march",
    "Mar.",
    "the",
    "of",
    "5th",
    "twenty",
    "first",
    "twenty-first",
    "nineteen",
    "eighty",
    "two",
    "thousand",
    "and",
    "2020",
    "'99",
    "12/1/2019",
    "1/2/20",
    "2024-05-12",
    "3.4.2021",
    "x",
    "1",
    "31",
    "-",
    "/",
    ",",
    "\n",
    "\t",
    "\v",
    "June",
    "Sept",
    "third",
    "10/26/2025",
    "[2025-05-17",
    "11:11]",
    "oh",
    "seven",
    "seventeenth",
    "4/27",
)


@pytest.mark.parametrize("seed", range(8))
def test_calendar_dates_are_found_where_the_whole_regex_finds_them(seed: int) -> None:
    """HIPAA037 tries its regex only where an RE2 superset of it can start: the matches must
    be those of `finditer` over the whole text, and within a focus span, those starting in it."""
    rng = random.Random(seed)
    for _ in range(200):
        glue = rng.choice(["", " ", ", ", "-"])
        text = glue.join(rng.choice(_DATE_PIECES) for _ in range(rng.randint(1, 40)))
        whole = [(m.span(), m.groupdict()) for m in dates_module._CALENDAR_RE.finditer(text)]
        found = [
            (m.span(), m.groupdict()) for m in dates_module._calendar_dates(text, [(0, len(text))])
        ]
        assert found == whole, text
        low = rng.randrange(len(text))
        high = min(len(text), low + rng.randint(1, 60))
        inside = [
            (m.span(), m.groupdict())
            for m in dates_module._CALENDAR_RE.finditer(text, low)
            if m.start() < high
        ]
        spans = [(low, high)]
        assert [
            (m.span(), m.groupdict()) for m in dates_module._calendar_dates(text, spans)
        ] == inside
