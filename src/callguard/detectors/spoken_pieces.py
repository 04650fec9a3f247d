"""Where each spoken digit run was said: its turn (or line), speaker, and audio time.

A card number read over several turns is joined only from pieces of ONE speaker within a short
window, so every run the spoken card rule (PCI002) reads becomes a `Piece` that knows its turn's
identity, position and span, its speaker, whether the turn is a mirror, and its audio times.
`Conversation` answers that for a document; without turns (plain text scanned as one string)
each line is a turn, and a leading label ("Customer:", "[10:02] Agent:") names its speaker.
`is_embedded` and `is_readback` say which runs are no piece at all: digits glued to brackets,
amounts, times or ids, and read-backs ("ending in ...").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from callguard.detectors.spoken import ParsedRun, Span
from callguard.document import Document

_LABEL = re.compile(
    r"[ \t]{0,8}(?:[\[(][^\])\n]{1,40}[\])][ \t]{0,4})?(?P<label>[A-Za-z][\w'-]{0,30}"
    r"(?: [A-Za-z][\w'-]{0,30}){0,2})[ \t]{0,4}(?:[\[(][^\])\n]{1,40}[\])][ \t]{0,4})?[:>]"
)
# Characters that glue digits to something else: brackets, amounts, times, dates, ids.
EMBED_BEFORE = "([{/\\$#:@-_+="
_EMBED_BEFORE = frozenset(EMBED_BEFORE)
_EMBED_AFTER = frozenset(")]}/\\:%@_")
_READBACK = re.compile(
    r"(?:\b(?:ending|ends|end)(?:[ \t]{1,4}(?:in|with))?"
    r"|\blast(?:[ \t]{1,4}(?:four|4|five|5|few))?"
    r"(?:[ \t]{1,4}(?:digits|numbers))?(?:[ \t]{1,4}(?:are|is|being))?)[ \t:,]{0,4}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Piece:
    """A run of digits with the turn it was said in."""

    parsed: ParsedRun
    turn: tuple[str, int]  # identity of the turn (or line)
    ordinal: int  # position of that turn (a line's: see `Conversation._line`)
    bounds: Span  # the turn's (or line's) analysis-text span
    speaker: str | None
    mirror: bool
    start_time: float | None
    end_time: float | None

    @property
    def digits(self) -> str:
        return self.parsed.run.digits


class Conversation:
    """Which turn, speaker and audio time each run belongs to; lines stand in for missing turns.

    Without turns (plain text scanned as one string) each line is a turn, and a leading label
    ("Customer:", "[10:02] Agent:") names its speaker; an unlabelled line has no speaker.
    Two pieces' turns are compared only when at most `near` characters lie between them.
    """

    def __init__(self, document: Document, near: int) -> None:
        self._document = document
        self._turn_starts = document.turn_starts
        self._line_cursor = (0, 0)  # (position, its line), see `_line`
        self._near = near
        self._timed: bool | None = None  # whether any segment has an audio time, see `_times`

    def place(self, run: ParsedRun) -> Piece:
        document, start = self._document, run.start
        begin, finish = self._times(run)
        index = bisect.bisect_right(self._turn_starts, start) - 1
        if index >= 0 and start <= document.turns[index].end:
            turn = document.turns[index]
            return Piece(
                run,
                ("turn", index),
                index,
                (turn.start, turn.end),
                turn.speaker,
                turn.mirror,
                begin if begin is not None else turn.audio_start,
                finish if finish is not None else turn.audio_end,
            )
        text = document.text
        line = self._line(start, run.end)
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        speaker = None
        if not document.turns and (label := _LABEL.match(document.text, line_start)):
            speaker = label["label"].lower()
        bounds = (line_start, line_end)
        return Piece(run, ("line", line), line, bounds, speaker, False, begin, finish)

    def _times(self, run: ParsedRun) -> tuple[float | None, float | None]:
        if self._timed is None:  # text and chat documents have no times: looked up once
            self._timed = any(
                s.audio_start is not None or s.audio_end is not None
                for s in self._document.segments
            )
        if not self._timed:
            return None, None
        segments = self._document.segments_between(run.start, run.end)
        starts = [s.audio_start for s in segments if s.audio_start is not None]
        ends = [s.audio_end for s in segments if s.audio_end is not None]
        return (starts[0] if starts else None), (ends[-1] if ends else None)

    def _line(self, position: int, end: int) -> int:
        """The number of the line of a run at [position, end), counted on from the last run.

        Runs are placed in text order, so counting newlines from the previous run reads the
        text once in all; a position before it counts again from the start. Without turns,
        only line numbers of runs at most `near` characters apart are ever compared: a longer
        gap adds one line if it holds any, not the newlines in it, sparing a count over the
        whole of a long text. (With turns, a line's number may be compared with a turn's
        index: every newline is counted.)
        """
        counted_to, line = self._line_cursor
        text = self._document.text
        if position < counted_to:
            counted_to, line = 0, 0
        if position - counted_to <= self._near or self._document.turns:
            line += text.count("\n", counted_to, position)
        elif text.find("\n", counted_to, position) >= 0:
            line += 1
        self._line_cursor = (end, line)
        return line


def is_embedded(text: str, start: int, end: int) -> bool:
    """ "(415) 555", "CPL-86102", "$249", "10:30", "04/27": digits glued to something else."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before in _EMBED_BEFORE or after in _EMBED_AFTER or before.isalnum() or after.isalnum()


def is_readback(text: str, start: int) -> bool:
    """ "ending in one one one one", "the last four are 4242": a read-back, not a number.

    Every read-back names "end" or "last": an ASCII window with neither (most windows: the
    spoken rules ask this for every seed and run) needs no regex search.
    """
    line_start = text.rfind("\n", max(0, start - 40), start) + 1
    begin = max(line_start, start - 40)
    window = text[begin:start]
    if window.isascii():
        lowered = window.lower()
        if "end" not in lowered and "last" not in lowered:
            return False
    return _READBACK.search(text, begin, start) is not None
