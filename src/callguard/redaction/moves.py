"""Offsets, turns and segment places moved by the length changes of sorted edits.

Carrying a Document over to its redacted text (`patch.py`) moves everything after an edit by
the edit's growth. Edits and turns are both in text order, so one pass does it; a boundary
that falls inside an edited span cannot be moved and stops the carrying over (`Unpatchable`).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from callguard.document import RawString, Segment, ShiftedTurns, Turn, copy_with


class Unpatchable(Exception):
    """Carrying the Document over could differ from reading the output."""


@dataclass(frozen=True)
class Change:
    """One edit in analysis terms: the replaced span [start, end), its segment, the new text."""

    start: int
    end: int
    segment: int
    text: str = ""

    @property
    def growth(self) -> int:
        return len(self.text) - (self.end - self.start)


class Shift:
    """Maps offsets of a text to offsets of the same text after sorted spans were replaced."""

    def __init__(self, replaced: Sequence[tuple[int, int, int]]) -> None:
        """`replaced`: (start, end, new length) of each replaced span, sorted and disjoint."""
        self.starts = [start for start, _, _ in replaced]
        self.ends = [end for _, end, _ in replaced]
        # deltas[i]: how far an offset moves that lies after the first i replaced spans.
        self.deltas = list(accumulate((n - (e - s) for s, e, n in replaced), initial=0))

    def position(self, offset: int) -> int:
        """Where `offset` is after the edits; Unpatchable if it lies inside a replaced span."""
        index = bisect.bisect_right(self.ends, offset)
        if index < len(self.starts) and self.starts[index] < offset:
            raise Unpatchable
        return offset + self.deltas[index]


def moved_turns(turns: Sequence[Turn], changes: Sequence[Change]) -> ShiftedTurns:
    """Turns at their new places, in one pass (turns and changes are both in text order);
    each Turn is built when a rule first asks for it (`ShiftedTurns`).

    The hot loop of carrying plain text over (thousands of turns): kept flat on purpose.
    """
    starts = [change.start for change in changes]
    ends = [change.end for change in changes]
    growth = [change.growth for change in changes]
    count = len(changes)
    new_starts: list[int] = []
    new_ends: list[int] = []
    index = delta = 0
    for turn in turns:
        start, end = turn.start, turn.end
        while index < count and ends[index] <= start:
            delta += growth[index]
            index += 1
        end_delta, probe = delta, index
        while probe < count and ends[probe] <= end:
            end_delta += growth[probe]
            probe += 1
        if (index < count and starts[index] < start) or (probe < count and starts[probe] < end):
            raise Unpatchable  # a turn boundary inside an edit
        new_starts.append(start + delta)
        new_ends.append(end + end_delta)
    return ShiftedTurns(turns, new_starts, new_ends)


def moved_segments(
    segments: Sequence[Segment],
    changes: Sequence[Change],
    raw_shift: Shift,
    reread: Callable[[Segment, int], Segment],
) -> list[Segment]:
    """Segments at their new places, in one pass (segments and changes are in text order);
    an edited segment (one a change names) is `reread(segment, its new start)`.

    An untouched segment moves by the growth of the changes before it in the text, and its
    raw span by the growth of the raw edits before it; an edit inside its raw span, or a text
    change across its start, is Unpatchable. The hot loop of carrying a word-item transcript
    over (a segment per word): kept flat on purpose, as `moved_turns` is.
    """
    starts = [change.start for change in changes]
    ends = [change.end for change in changes]
    growth = [change.growth for change in changes]
    touched = {change.segment for change in changes}
    count = len(changes)
    raw_starts, raw_ends, raw_deltas = raw_shift.starts, raw_shift.ends, raw_shift.deltas
    raw_count = len(raw_starts)
    moved: list[Segment] = []
    index = delta = 0
    for number, segment in enumerate(segments):
        while index < count and ends[index] <= segment.start:
            delta += growth[index]
            index += 1
        if index < count and starts[index] < segment.start:
            raise Unpatchable  # a segment boundary inside an edit
        if number in touched:
            moved.append(reread(segment, segment.start + delta))
            continue
        raw = segment.raw
        first = bisect.bisect_right(raw_ends, raw.start)
        if first < raw_count and raw_starts[first] <= raw.end:
            # A raw edit reaches into the span: both ends must move alike, as Shift says.
            raw_delta = raw_shift.position(raw.start) - raw.start
            if raw_shift.position(raw.end) - raw.end != raw_delta:
                raise Unpatchable  # an edit inside a segment no change was placed in
        else:
            raw_delta = raw_deltas[first]
        if delta == 0 and raw_delta == 0:
            moved.append(segment)
            continue
        start, end = segment.start + delta, segment.end + delta
        raw = shifted(raw, raw_delta) if raw_delta else raw
        moved.append(copy_with(segment, start=start, end=end, raw=raw))
    return moved


def shifted(raw: RawString, delta: int) -> RawString:
    if raw.offsets is None:
        return copy_with(raw, start=raw.start + delta, end=raw.end + delta)
    offsets = array("q", [offset + delta for offset in raw.offsets])
    return RawString(raw.start + delta, raw.end + delta, offsets)
