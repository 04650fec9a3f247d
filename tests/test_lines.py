"""Line numbers of offsets: `LineCounter` agrees with the full list of line starts."""

from __future__ import annotations

import bisect
import random

import pytest

from callguard.lines import LineCounter, line_starts


def _expected(text: str, offset: int) -> tuple[int, int]:
    starts = line_starts(text)
    index = bisect.bisect_right(starts, offset) - 1
    return index, starts[index]


def _chat_log(rng: random.Random, breaks: tuple[str, ...]) -> str:
    lines = []
    for _ in range(rng.randint(0, 60)):
        speaker = rng.choice(("Agent", "Customer"))
        words = " ".join(rng.choice(("card", "four", "1111", "okay", "um")) for _ in range(9))
        lines.append(f"{speaker}: {words[: rng.randint(0, 60)]}")
    return "".join(line + rng.choice(breaks) for line in lines)


@pytest.mark.parametrize(
    "breaks",
    [
        pytest.param(("\n",), id="lf-only"),
        pytest.param(("\r\n",), id="crlf"),
        pytest.param(("\n", "\r", "\r\n"), id="mixed"),
        pytest.param(("\n", "\u2028"), id="unicode-line-separator"),
        pytest.param(("\n", "\n\n\n"), id="blank-lines"),
    ],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_line_counter_agrees_with_line_starts_in_any_order(
    breaks: tuple[str, ...], seed: int
) -> None:
    rng = random.Random(seed)
    text = _chat_log(rng, breaks)
    offsets = list(range(len(text) + 1))
    rng.shuffle(offsets)  # findings of several rules ask in no particular order
    counter = LineCounter(text)
    for offset in offsets:
        assert counter.line_and_start(offset) == _expected(text, offset), offset


def test_an_offset_on_a_newline_belongs_to_the_line_it_ends() -> None:
    text = "Agent: card?\nCustomer: 4111\n"
    counter = LineCounter(text)
    assert counter.line_and_start(text.index("\n")) == (0, 0)
    assert counter.line_and_start(text.index("\n") + 1) == (1, 13)
    assert counter.line_and_start(len(text)) == (2, len(text))


@pytest.mark.parametrize(
    "breaks",
    [("\n",), ("\r\n",), ("\n", "\r", "\u2028", "\x0c"), ("\n", "\t\n")],
    ids=["lf", "crlf", "mixed", "tabs"],
)
def test_a_location_ends_where_the_line_counter_says(breaks: tuple[str, ...]) -> None:
    """A span without a line break ends on its start's line (`Document._location` skips
    the count for it); one with a break, or a tab, is counted. Both agree with the counter."""
    from callguard.document import DocumentBuilder, RawString

    rng = random.Random(7)
    text = _chat_log(rng, breaks)
    builder = DocumentBuilder("<text>", "text", text)
    builder.add(text, RawString(0, len(text)))
    document = builder.build()
    for _ in range(400):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.choice((1, 4, 19, 80)))
        (location,) = document.locate(start, end)
        for line, column, offset in (
            (location.start_line, location.start_column, start),
            (location.end_line, location.end_column, end),
        ):
            index, line_start = _expected(text, offset)
            assert (line, column) == (index + 1, offset - line_start + 1), (start, end)
