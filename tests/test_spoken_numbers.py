"""The spoken-number normaliser: digits said as words, numerals or both, with their spans.

Conformance cases come from NVIDIA NeMo's inverse-text-normalisation tests for telephone
numbers, read by path from shared/external (never copied into the repo).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from callguard.detectors.spoken import DigitRun, digit_runs

NEMO = (
    Path(__file__).resolve().parents[2]
    / "shared/external/transcripts/nemo-itn/test_cases_telephone.txt"
)


def digits(text: str) -> list[str]:
    return [run.digits for run in digit_runs(text)]


def words(text: str, run: DigitRun) -> list[str]:
    return [text[start:end] for start, end in run.spans]


READINGS = [
    pytest.param("four one one one", ["4111"], id="units"),
    pytest.param("Zero oh O nought", ["0000"], id="zeros-case-insensitive"),
    pytest.param("forty one eleven", ["4111"], id="tens-unit-then-teen"),
    pytest.param("forty-one eleven", ["4111"], id="hyphenated-tens"),
    pytest.param("twenty twenty seven", ["2027"], id="year-style"),
    pytest.param("nineteen", ["19"], id="teen"),
    pytest.param("forty fifty", ["4050"], id="tens-then-tens"),
    pytest.param("double four triple zero", ["44000"], id="double-triple"),
    pytest.param("four hundred", ["400"], id="hundred"),
    pytest.param("forty one hundred", ["4100"], id="tens-hundred"),
    pytest.param("one hundred twenty three", ["123"], id="hundred-fills-tens-unit"),
    pytest.param("one hundred and five", ["105"], id="hundred-and-unit"),
    pytest.param("four one one one, one one one one.", ["41111111"], id="asr-comma-period"),
    pytest.param("four one um one one, uh, sorry one", ["41111"], id="fillers"),
    pytest.param("4111 one one one one", ["41111111"], id="mixed"),
    pytest.param("41 11", ["4111"], id="numerals-spaced"),
    pytest.param("it's four one\none one", ["41", "11"], id="newline-stops"),
    pytest.param("four one and one one", ["41", "11"], id="other-word-stops"),
    pytest.param("is it four one? one one", ["41", "11"], id="question-stops"),
    pytest.param("at ten thirty: 10:30", ["1030", "10", "30"], id="colon-stops"),
    pytest.param("oh, four one one", ["411"], id="interjection-oh"),
    pytest.param("oh two three", ["023"], id="leading-oh-is-zero"),
    pytest.param("double check the thousand", [], id="no-digits"),
    pytest.param("someone, anyone, stone", [], id="number-inside-words"),
]


@pytest.mark.parametrize(("text", "expected"), READINGS)
def test_reading(text: str, expected: list[str]) -> None:
    assert digits(text) == expected


def test_every_digit_has_the_span_of_its_word() -> None:
    text = "um forty one, double four 12 twelve hundred"
    (run,) = digit_runs(text)
    assert run.digits == "4144121200"
    assert len(run.spans) == len(run.digits)
    assert words(text, run) == [
        "forty",
        "one",
        *["double four"] * 2,
        "12",
        "12",
        "twelve",
        "twelve",
        "hundred",
        "hundred",
    ]


def test_hundred_fill_spans_cover_the_words_that_said_them() -> None:
    text = "one hundred twenty three"
    (run,) = digit_runs(text)
    assert words(text, run) == ["one", "hundred twenty", "three"]


def test_start_and_end_bound_the_search() -> None:
    text = "Agent: go on\nCustomer: one one one one\nAgent: ok"
    start = text.index("Customer")
    (run,) = digit_runs(text, start, text.index("\nAgent: ok"))
    assert run.digits == "1111"
    assert run.spans[0][0] == text.index("one")


def test_long_input_stays_linear() -> None:
    """A megabyte of number words and of near-misses: one pass each, no backtracking blow-up."""
    runs = digit_runs("one " * 250_000)
    assert sum(len(run.digits) for run in runs) == 250_000
    assert digit_runs(", um " * 200_000 + "x") == []


def _nemo_cases() -> list[object]:
    cases = []
    for number, line in enumerate(NEMO.read_text(encoding="utf-8").splitlines()):
        if "~" not in line:
            continue
        spoken, written = line.split("~", 1)
        if re.search(r"[A-Za-z]", written):
            kind = "letters-not-read"
        elif "+" in written:
            kind = "plus-not-read"
        else:
            kind = "digits"
        cases.append(pytest.param(spoken, written, kind, id=f"{kind}-{number}"))
    return cases


@pytest.mark.skipif(not NEMO.is_file(), reason="NeMo cases live in shared/external")
@pytest.mark.parametrize(("spoken", "written", "kind"), _nemo_cases())
def test_nemo_telephone_conformance(spoken: str, written: str, kind: str) -> None:
    """Digit sequences: our digits equal the written digits, in order.

    Not supported, by design, and asserted as such: letters ("x86", "a b nine") are not number
    words, so they are never digits and a run stops at them; "plus" is a word too, so the "+"
    of a country code is not produced (a card number has none); "dot" ends a run, so an IP
    address gives one run per dotted part. In every case no digit is invented or lost.
    """
    runs = digit_runs(spoken)
    assert "".join(run.digits for run in runs) == re.sub(r"\D", "", written)
    if kind == "letters-not-read":
        letters = {w for w in spoken.split() if len(w) == 1 and w not in ("o",)}
        assert not any(spoken[s:e] in letters for run in runs for s, e in run.spans)
    if kind == "plus-not-read":
        assert all("plus" not in spoken[s:e] for run in runs for s, e in run.spans)
    if " dot " in spoken:
        assert len(runs) == spoken.count(" dot ") + 1
