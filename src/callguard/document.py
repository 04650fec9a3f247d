"""The Document: one analysis text plus an exact map from every character back to the raw file.

Every input format is turned into a Document. Detectors read only `Document.text`; every span they
report is mapped back through `Document.locate` to raw character offsets, lines and columns, JSON
pointers, speakers and audio times. Formats build Documents with `DocumentBuilder`, so no
detector knows about JSON or WebVTT, and no format knows about cards.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar, overload

from callguard.focus import Reach, edit_blocks, lines_within
from callguard.lines import LineCounter
from callguard.model import Location


@dataclass(frozen=True)
class RawString:
    """Where one piece of analysis text lives in the raw file.

    `offsets` is None when the text appears verbatim at `start` (the usual case). Otherwise it
    holds, for each character of the text, its raw offset, plus one final entry for the raw end:
    a JSON escape such as `\\u00e9` is six raw characters for one text character.
    """

    start: int
    end: int
    offsets: array[int] | None = field(default=None, repr=False, compare=False)

    def raw_span(self, begin: int, stop: int) -> tuple[int, int]:
        """Raw (start, end) of text characters [begin, stop) of this piece."""
        if self.offsets is None:
            return self.start + begin, self.start + stop
        return self.offsets[begin], self.offsets[stop]


@dataclass(frozen=True)
class Segment:
    """A run of analysis text `[start, end)` that came from one raw place."""

    start: int
    end: int
    raw: RawString
    turn: int | None = None
    json_pointer: str | None = None
    speaker: str | None = None
    audio_start: float | None = None
    audio_end: float | None = None
    mirror: bool = False


@dataclass(frozen=True)
class Turn:
    """One utterance or chat message of a conversation, in analysis-text coordinates.

    A `mirror` turn repeats text the conversation already holds (a vendor's full-transcript
    string beside its word items): scanned so that nothing escapes, but a value found both in a
    mirror and in the conversation is reported once, at the conversation's place.
    """

    index: int
    start: int
    end: int
    speaker: str | None = None
    audio_start: float | None = None
    audio_end: float | None = None
    mirror: bool = False


class ShiftedTurns(Sequence[Turn]):
    """Turns moved to new places, each Turn built when first asked for.

    A redaction read-back carries a long log's Document over to the redacted text, where
    every turn after the first edit starts somewhere else; the rules then look at the few
    turns near the edits. So the new places are kept as offsets (`starts` serves
    `Document.turn_index`), and `turns[i]` is copied to [starts[i], ends[i]) on first use.
    """

    def __init__(self, turns: Sequence[Turn], starts: list[int], ends: list[int]) -> None:
        self._turns = turns
        self.starts = starts
        self._ends = ends
        self._built: list[Turn | None] = [None] * len(turns)

    def __len__(self) -> int:
        return len(self._turns)

    @overload
    def __getitem__(self, index: int) -> Turn: ...

    @overload
    def __getitem__(self, index: slice) -> list[Turn]: ...

    def __getitem__(self, index: int | slice) -> Turn | list[Turn]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        turn = self._built[index]
        if turn is None:
            turn = self._turns[index]
            start, end = self.starts[index], self._ends[index]
            if (turn.start, turn.end) != (start, end):
                turn = copy_with(turn, start=start, end=end)
            self._built[index] = turn
        return turn

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are unhashable


_Item = TypeVar("_Item", Segment, Turn, RawString)


def copy_with(item: _Item, **changes: object) -> _Item:
    """A copy of a frozen Segment, Turn or RawString with some fields changed.

    Copying the instance dictionary costs a fifth of the dataclass constructor, which sets
    each field through `object.__setattr__`; a long transcript moves thousands of them.
    """
    moved = object.__new__(type(item))
    moved.__dict__.update(item.__dict__)
    moved.__dict__.update(changes)
    return moved


@dataclass(frozen=True)
class Setting:
    """One parsed configuration setting (used by the config checks)."""

    key: str
    value: str = field(repr=False)
    raw: RawString
    section: str = ""


@dataclass
class Document:
    """An input ready for detection.

    `raw_text` is the raw file decoded as UTF-8 (undecodable bytes kept one character each), or
    one window of it for very large plain-text files, in which case `raw_origin` gives the
    window's offset, line and column in the whole file, and `owned_span` the analysis-text span
    [start, end) this window is responsible for (windows overlap; see `owns`).
    """

    path: str
    format: str
    text: str = field(repr=False)
    raw_text: str = field(repr=False)
    segments: list[Segment] = field(default_factory=list, repr=False)
    turns: Sequence[Turn] = field(default_factory=list, repr=False)
    settings: list[Setting] = field(default_factory=list, repr=False)
    raw_origin: tuple[int, int, int] = (0, 1, 1)
    owned_span: tuple[int, int] | None = None
    # Where the text changed since it was last scanned: sorted analysis-text spans (a redaction
    # read-back's replacements), or None for a first reading. A rule that knows its `Reach`
    # starts candidates only in the lines within reach of these (`focus_spans`) but reads
    # context anywhere, so a value starting there is judged as in a whole reading.
    focus: tuple[tuple[int, int], ...] | None = field(default=None, repr=False)
    # The format's parsed tree, for config checks that need structure beyond `settings`
    # (IaC resources, Kubernetes manifests, PEM objects); None for transcripts and chats.
    parsed: object | None = field(default=None, repr=False, compare=False)
    _segment_starts: list[int] = field(default_factory=list, repr=False)
    _turn_starts: list[int] = field(default_factory=list, repr=False)
    _line_counter: LineCounter | None = field(default=None, repr=False, compare=False)
    _focus_lines: dict[Reach, tuple[tuple[int, int], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _focus_blocks: tuple[tuple[int, int], ...] | None = field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._segment_starts = [s.start for s in self.segments]
        turns = self.turns
        if isinstance(turns, ShiftedTurns):
            self._turn_starts = turns.starts  # known without building the turns
        else:
            self._turn_starts = [t.start for t in turns]

    @property
    def segment_starts(self) -> Sequence[int]:
        """Where each segment starts in the analysis text, in order (do not modify)."""
        return self._segment_starts

    @property
    def turn_starts(self) -> Sequence[int]:
        """Where each turn starts in the analysis text, in order (do not modify)."""
        return self._turn_starts

    def turn_index(self, position: int) -> int:
        """Index of the last turn starting at or before analysis offset `position`, or -1."""
        return bisect.bisect_right(self._turn_starts, position) - 1

    def owns(self, start: int) -> bool:
        """Whether a finding whose first span starts at analysis offset `start` belongs here.

        Overlapping windows of one file all see a value near their shared edge; only the window
        owning its start reports it. A Document that is not a window owns everything.
        """
        span = self.owned_span
        return span is None or span[0] <= start < span[1]

    def focus_spans(self, reach: Reach | None) -> tuple[tuple[int, int], ...]:
        """Where a rule with this `reach` starts candidates: the whole lines within reach of
        the focus; all of the text without a focus or a reach."""
        if self.focus is None or reach is None:
            return ((0, len(self.text)),)
        lines = self._focus_lines.get(reach)
        if lines is None:
            if self._focus_blocks is None:  # the same for every reach: joined once
                self._focus_blocks = tuple(edit_blocks(self.text, self.focus))
            lines = lines_within(self.text, self._focus_blocks, reach)
            self._focus_lines[reach] = lines
        return lines

    # -- mapping -------------------------------------------------------------------------------

    def locate(self, start: int, end: int) -> list[Location]:
        """Map analysis-text span [start, end) to raw locations, one per segment it touches.

        Separator characters the format inserted between segments map nowhere and are dropped.
        """
        locations: list[Location] = []
        index = max(bisect.bisect_right(self._segment_starts, start) - 1, 0)
        while index < len(self.segments):
            segment = self.segments[index]
            if segment.start >= end:
                break
            begin, stop = max(start, segment.start), min(end, segment.end)
            if begin < stop:
                raw_start, raw_end = segment.raw.raw_span(
                    begin - segment.start, stop - segment.start
                )
                locations.append(self._location(raw_start, raw_end, segment))
            index += 1
        return locations

    def locate_raw(self, raw_start: int, raw_end: int) -> Location:
        """A location for raw-text span [raw_start, raw_end) of this document (config settings)."""
        return self._location(raw_start, raw_end, None)

    def is_mirror(self, start: int, end: int) -> bool:
        """True if analysis span [start, end) lies only in mirror text (see `Turn.mirror`)."""
        segments = self.segments_between(start, end)
        return bool(segments) and all(segment.mirror for segment in segments)

    def segments_between(self, start: int, end: int) -> Sequence[Segment]:
        """The segments overlapping analysis-text span [start, end)."""
        first = max(bisect.bisect_right(self._segment_starts, start) - 1, 0)
        last = bisect.bisect_left(self._segment_starts, end)
        return [s for s in self.segments[first:last] if s.end > start]

    def line_number(self, raw_offset: int) -> int:
        """The 1-based line (in the whole file) of an offset into this document's raw text."""
        return self._line_column(raw_offset)[0]

    def _location(self, raw_start: int, raw_end: int, segment: Segment | None) -> Location:
        start_line, start_column = self._line_column(raw_start)
        if self.raw_text[raw_start:raw_end].isprintable():  # no line break: the start's line
            end_line, end_column = start_line, start_column + raw_end - raw_start
        else:
            end_line, end_column = self._line_column(raw_end)
        base = self.raw_origin[0]
        return Location(
            char_offset=base + raw_start,
            char_length=raw_end - raw_start,
            start_line=start_line,
            start_column=start_column,
            end_line=end_line,
            end_column=end_column,
            json_pointer=segment.json_pointer if segment else None,
            speaker=segment.speaker if segment else None,
            audio_start=segment.audio_start if segment else None,
            audio_end=segment.audio_end if segment else None,
        )

    def _line_column(self, raw_offset: int) -> tuple[int, int]:
        if self._line_counter is None:
            self._line_counter = LineCounter(self.raw_text)
        index, line_start = self._line_counter.line_and_start(raw_offset)
        line = self.raw_origin[1] + index
        column = raw_offset - line_start + 1
        if index == 0:
            column += self.raw_origin[2] - 1
        return line, column


class DocumentBuilder:
    """Assembles a Document piece by piece, keeping the raw map exact.

    Formats call `start_turn` for each utterance or message, `add` for each piece of text with
    its raw place, and `add_separator` for text that exists only in the analysis text (the space
    between two transcribed words, the newline between two turns).
    """

    def __init__(self, path: str, format_name: str, raw_text: str) -> None:
        self._path = path
        self._format = format_name
        self._raw_text = raw_text
        self._parts: list[str] = []
        self._length = 0
        self._segments: list[Segment] = []
        self._turns: list[Turn] = []
        self._settings: list[Setting] = []
        self._turn_start: int | None = None
        self._turn_speaker: str | None = None
        self._turn_times: tuple[float | None, float | None] = (None, None)
        self._turn_mirror = False

    @property
    def length(self) -> int:
        """Current length of the analysis text."""
        return self._length

    def start_turn(
        self,
        speaker: str | None = None,
        audio_start: float | None = None,
        audio_end: float | None = None,
        mirror: bool = False,
    ) -> None:
        """Begin a new conversation turn; the previous one ends here, separated by a newline."""
        self.end_turn()
        if self._length:
            self.add_separator("\n")
        self._turn_start = self._length
        self._turn_speaker = speaker
        self._turn_times = (audio_start, audio_end)
        self._turn_mirror = mirror

    def end_turn(self) -> None:
        """Close the current turn, if one is open."""
        if self._turn_start is None:
            return
        self._turns.append(
            Turn(
                index=len(self._turns),
                start=self._turn_start,
                end=self._length,
                speaker=self._turn_speaker,
                audio_start=self._turn_times[0],
                audio_end=self._turn_times[1],
                mirror=self._turn_mirror,
            )
        )
        self._turn_start = None

    def add(
        self,
        text: str,
        raw: RawString,
        *,
        json_pointer: str | None = None,
        speaker: str | None = None,
        audio_start: float | None = None,
        audio_end: float | None = None,
    ) -> None:
        """Append text that came from `raw`; its speaker defaults to the open turn's."""
        if not text:
            return
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        self._segments.append(
            Segment(
                start=start,
                end=self._length,
                raw=raw,
                turn=len(self._turns) if self._turn_start is not None else None,
                json_pointer=json_pointer,
                speaker=speaker if speaker is not None else self._turn_speaker,
                audio_start=audio_start,
                audio_end=audio_end,
                mirror=self._turn_mirror and self._turn_start is not None,
            )
        )

    def add_separator(self, text: str) -> None:
        """Append analysis-only text that maps to no raw character."""
        self._parts.append(text)
        self._length += len(text)

    def add_setting(self, setting: Setting) -> None:
        """Record one parsed configuration setting."""
        self._settings.append(setting)

    def build(self, raw_origin: tuple[int, int, int] = (0, 1, 1)) -> Document:
        """Finish the Document."""
        self.end_turn()
        return Document(
            path=self._path,
            format=self._format,
            text="".join(self._parts),
            raw_text=self._raw_text,
            segments=self._segments,
            turns=self._turns,
            settings=self._settings,
            raw_origin=raw_origin,
        )
