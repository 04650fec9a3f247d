"""The hot paths' shortcuts give exactly what the general code gives.

The card rules run their checks thousands of times per MB, so several of them take a cheaper road
for the common case: plain spoken runs split on spaces, Luhn by bytes, RE2 hints before `re`
searches of context and read-back windows. Each test here compares a shortcut with the general
answer, including the inputs where the shortcut must step aside (non-ASCII text, interjections).
"""

from __future__ import annotations

import random
import re

import pytest

from callguard.detectors.patterns import ContextWords, compile_words
from callguard.detectors.search import RE2Spans
from callguard.detectors.spoken import ParsedRun, parse_runs
from callguard.detectors.spoken_pieces import is_readback
from callguard.detectors.validators import is_luhn_valid

PLAIN_RUNS = [
    pytest.param("my card is four one one one, one one one one, one", id="units-and-commas"),
    pytest.param("it's 4111 one one one one, 1111 2222", id="numerals-and-words"),
    pytest.param("Four ONE one One, O oh nought zero", id="any-case-and-zeros"),
    pytest.param("oh, four one one one", id="interjection-oh"),
    pytest.param("O, four one one one", id="interjection-capital-o"),
    pytest.param("four one one one, oh one", id="oh-after-a-group"),
    pytest.param("one " + "7" * 70 + " two", id="numeral-longer-than-a-token"),
    pytest.param("one,two three, four", id="comma-without-space"),
    pytest.param("four  one, , one", id="doubled-gaps"),
    pytest.param("caf\u00e9 four one one one", id="non-ascii-line"),
]


def _runs(text: str) -> list[tuple[str, tuple[tuple[int, int], ...], tuple[int, ...], bool]]:
    return [_key(run) for run in parse_runs(text)]


def _key(run: ParsedRun) -> tuple[str, tuple[tuple[int, int], ...], tuple[int, ...], bool]:
    return run.run.digits, run.run.spans, run.groups, run.worded


@pytest.mark.parametrize("text", PLAIN_RUNS)
def test_plain_runs_read_as_the_token_reader_reads_them(text: str) -> None:
    # A tab is a gap like a space for the token reader, but the plain path splits on spaces
    # only: the tabbed text takes the general road, at the same offsets.
    assert _runs(text) == _runs(text.replace(" ", "\t"))


def test_random_plain_runs_read_as_the_token_reader_reads_them() -> None:
    rng = random.Random(7)
    tokens = ["one", "Four", "oh", "o", "nine", "4111", "0", "twenty", "um", "double", "x"]
    for _ in range(2000):
        parts = [rng.choice(tokens) + rng.choice(["", "", ","]) for _ in range(rng.randint(1, 9))]
        text = "said " + " ".join(parts)
        assert _runs(text) == _runs(text.replace(" ", "\t")), text


def _luhn_by_loop(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def test_luhn_matches_the_textbook_loop() -> None:
    rng = random.Random(3)
    for size in range(1, 24):
        for _ in range(300):
            digits = "".join(rng.choice("0123456789") for _ in range(size))
            assert is_luhn_valid(digits) == _luhn_by_loop(digits), size


@pytest.mark.parametrize(
    "value", ["", "4111 1111 1111 1111", "4111-1111", "\u0664\u0661\u0661\u0661"]
)
def test_luhn_rejects_what_is_not_ascii_digits(value: str) -> None:
    assert not is_luhn_valid(value)


WORDS = ("card", "credit", "american express", "pan", "cc", "ss#")


def test_context_words_match_the_sliced_regex_search() -> None:
    words = ContextWords(WORDS)
    exact = compile_words(WORDS)
    assert exact is not None
    rng = random.Random(5)
    pieces = ["card", "Card", "xcard", "cardx", "CC", "pan", "span", "ss#", "American Express"]
    pieces += ["credit", "and", " ", ", ", "4111", "\u212a", "caf\u00e9", "\n"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(12))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text) + 5)
        expected = exact.search(text[start:end]) is not None
        assert words.occur(text, start, end) == expected, (text, start, end)


def test_no_context_words_never_occur() -> None:
    assert not ContextWords(()).occur("card number", 0, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("the last four are 4242", True, id="last-four"),
        pytest.param("card ending in 4242", True, id="ending-in"),
        pytest.param("the la\u017ft four are 4242", True, id="long-s-non-ascii"),
        pytest.param("my number is 4242", False, id="no-read-back"),
        pytest.param("we spend in 4242", False, id="end-inside-a-word"),
    ],
)
def test_readback(text: str, expected: bool) -> None:
    assert is_readback(text, text.index("4242")) is expected


def test_spans_in_joins_the_spans_of_each_region() -> None:
    digits = RE2Spans("[0-9]+", re.compile("[0-9]+"))
    text = "a 12 b 345 c 6789 d 0\n11 22"
    regions = [(0, 8, 3), (8, 20, 20), (22, 27, 23)]
    joined = [
        s for start, end, limit in regions for s in digits.spans(text, start, end, last_start=limit)
    ]
    assert digits.spans_in(text, regions) == joined
    assert digits.spans_in("caf\u00e9 12 34", [(0, 10, 10)]) == [(5, 7), (8, 10)]


def test_earliest_start_is_where_a_match_can_begin() -> None:
    digits = RE2Spans("[0-9]+", re.compile("[0-9]+"))
    assert digits.earliest_start("ab 12 cd", 0, 8) == 3
    assert digits.earliest_start("ab 12 cd", 5, 8) is None
    assert digits.earliest_start("caf\u00e9 12", 0, 8) == 0  # not ASCII: anywhere from the start


def test_non_ascii_context_words_are_searched_exactly() -> None:
    kelvin = ("\u212a",)  # the Kelvin sign: `re` ignoring case matches it to "k"
    exact = compile_words(kelvin)
    assert exact is not None
    assert ContextWords(kelvin).occur("a k b", 0, 5) == (exact.search("a k b") is not None)


def _numerals_by_tokens(text: str) -> tuple[str, tuple[tuple[int, int], ...], tuple[int, ...]]:
    """A numerals-only run read token by token, the general way."""
    digits, spans, groups, previous = "", [], [], -1
    for token in re.finditer(r"[0-9]{1,64}", text):
        if previous < 0 or not re.fullmatch(r"[ \t\u00a0\u2013-]*", text[previous : token.start()]):
            groups.append(len(spans))
        digits += token.group()
        spans.extend([token.span()] * len(token.group()))
        previous = token.end()
    return digits, tuple(spans), tuple(groups)


def test_numerals_read_as_tokens_are_read() -> None:
    """A bare numeral ("1954") is read in one step; longer ones, and groups, token by token."""
    rng = random.Random(11)
    for _ in range(2000):
        numerals = [
            "".join(rng.choice("0123456789") for _ in range(rng.choice((1, 3, 4, 16, 63, 64))))
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        text = "".join(n + rng.choice((" ", "-", ", ", ". ", " - ")) for n in numerals[:-1])
        text += numerals[-1]
        (run,) = parse_runs(text)
        assert (run.run.digits, run.run.spans, run.groups) == _numerals_by_tokens(text), text
        assert not run.worded
