"""Which lines a redaction read-back reads again: how far a rule's values reach, and the
lines within that reach of the edits.

A redacted output is its input except where replacements were made, and every finding of the
input was redacted, so a value found in the output now starts within reach of an edit. A rule
states that reach (`Reach`); `Document.focus_spans` asks `lines_within` for the whole lines
within it of the edits (joined first into blocks of neighbouring lines by `edit_blocks`), and
the rule starts candidates only there (see `callguard.redaction.readback`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Reach:
    """How far apart the parts of one value a rule reports, and the cues deciding it, can be.

    Where a rule starts reading a value (its match, seed or prompt) lies within `chars`
    characters, or within `lines` lines, of every part of the value and of every cue deciding
    it (whichever bound holds; a rule may rely on either). `lines_before`, when set, is a
    tighter bound for the parts and cues lying BEFORE that start: a prompt's answer and a split
    number's later pieces come lines after it, but the card talk before it lies within `chars`.
    A rule that has a `reach` reads only the lines within it of `Document.focus`, so a
    redaction read-back can read near its edits only: a value an edit made or completed starts
    within reach of the edit (`callguard.redaction.readback`).
    """

    chars: int = 0
    lines: int = 0
    lines_before: int | None = None  # None: `lines` both ways


def lines_within(
    text: str, spans: Sequence[tuple[int, int]], reach: Reach
) -> tuple[tuple[int, int], ...]:
    """The whole lines within `reach` (characters or lines) of each of the sorted `spans`,
    merged; a span's own lines are always in.

    A value whose later parts reach a span starts up to `reach.lines` lines before it; one
    whose earlier cues reach it, up to `reach.lines_before` lines after it (`Reach`). Lines
    are found by searching for line feeds from each span, a dozen at most: listing where every
    line of a long log starts cost more than all the rest of choosing what to read again."""
    size = len(text)
    lines_after = reach.lines if reach.lines_before is None else reach.lines_before
    found: list[tuple[int, int]] = []
    for start, end in edit_blocks(text, spans):
        low = min(
            text.rfind("\n", 0, max(0, start - reach.chars)) + 1,
            _line_start_before(text, start, reach.lines),
        )
        high = max(
            _line_end(text, min(size, end + reach.chars)),
            _line_end_after(text, end, lines_after),
        )
        if found and low <= found[-1][1] + 1:
            found[-1] = (found[-1][0], max(found[-1][1], high))
        else:
            found.append((low, high))
    return tuple(found)


def _line_start_before(text: str, position: int, lines: int) -> int:
    """Where the line `lines` lines before the one holding `position` starts (0 at most)."""
    newline = text.rfind("\n", 0, position)
    for _ in range(lines):
        if newline < 0:
            break
        newline = text.rfind("\n", 0, newline)
    return newline + 1


def _line_end(text: str, position: int) -> int:
    """Where the line holding `position` ends: its line feed, or the end of the text."""
    newline = text.find("\n", position)
    return len(text) if newline < 0 else newline


def _line_end_after(text: str, position: int, lines: int) -> int:
    """Where the line `lines` lines after the one holding `position` ends."""
    end = _line_end(text, position)
    for _ in range(lines):
        if end >= len(text):
            break
        end = _line_end(text, end + 1)
    return end


def edit_blocks(text: str, spans: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The sorted `spans` joined wherever the next starts on the line where one ends or on the
    line after it: the lines within any reach of the two then meet, so the joined span reaches
    exactly the lines they reach. A redacted log holds thousands of replacements, several to a
    line; `lines_within` then looks up lines once per block instead of once per replacement."""
    block: tuple[int, int] | None = None
    for start, end in spans:
        if block is not None and _at_most_one_newline(text, block[1], start):
            block = (block[0], max(block[1], end))
            continue
        if block is not None:
            yield block
        block = (start, end)
    if block is not None:
        yield block


def _at_most_one_newline(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds at most one line feed, found without counting them all:
    the gap between two blocks may be most of a long log, and each reach looks at it."""
    first = text.find("\n", start, end)
    return first < 0 or text.find("\n", first + 1, end) < 0
