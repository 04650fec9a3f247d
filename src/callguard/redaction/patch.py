"""The Document a redacted text reads as, carried over from the Document before the edits.

Redaction replaces a few pieces of a file and leaves the rest as it was. Reading the whole
output again costs as much as the first reading (for a JSON transcript, a position-keeping
parse that is nine tenths of a scan). `patch_document` carries the Document over instead:
each edited segment gets the text it now holds, everything after an edit moves by the length
change, and turns and segments keep their speakers, times and mirror flags.

Each edited segment is read back from the OUTPUT text, not taken from the replacement we meant
to write: its new raw span must hold exactly the text the patched Document gives it, so a
misplaced replacement is caught here. It gives up (None) wherever carrying over could differ
from that model: an edit not inside exactly one segment, a turn or segment boundary inside an
edit, a segment whose text is not its raw text decoded, caption text (entity escapes), config
settings, or JSON escapes left in an edited string. Whether the format's reader would build
the same turns from the output is the caller's question (`readback.py` answers it).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from callguard.document import Document, RawString, Segment, copy_with
from callguard.redaction.moves import (
    Change,
    Shift,
    Unpatchable,
    moved_segments,
    moved_turns,
)
from callguard.redaction.pieces import Edit

Span = tuple[int, int]
_HTML_FORMATS = frozenset({"webvtt", "srt"})


@dataclass(frozen=True)
class Patched:
    """The carried-over Document, and each edit's change in the old analysis text."""

    document: Document
    changes: tuple[Change, ...]


def patch_document(
    document: Document, edits: Sequence[Edit], spans: Sequence[Span], new_raw: str
) -> Patched | None:
    """`document` as it reads once `edits` turned its raw text into `new_raw`; None if unsure.

    `edits` are sorted, with absolute offsets (the raw text starts at `raw_origin[0]`);
    `spans` are where each replacement landed in `new_raw` (as `apply_edits` returns them).
    """
    if document.settings or document.parsed is not None or document.format in _HTML_FORMATS:
        return None
    try:
        changes = _changes(document, edits)
        if document.text is document.raw_text:
            return Patched(_patch_identity(document, changes, new_raw), changes)
        return Patched(_patch_mapped(document, changes, edits, spans, new_raw), changes)
    except Unpatchable:
        return None


def _changes(document: Document, edits: Sequence[Edit]) -> tuple[Change, ...]:
    """Each edit as a change of the analysis text, sorted; disjoint, or Unpatchable."""
    base = document.raw_origin[0]
    locate = _Locator(document)
    changes = sorted((_change(document, edit, base, locate) for edit in edits), key=_start)
    for before, after in pairwise(changes):
        if after.start < before.end:
            raise Unpatchable  # two raw places mapped to one stretch of analysis text
    return tuple(changes)


def _start(change: Change) -> int:
    return change.start


def _change(document: Document, edit: Edit, base: int, locate: _Locator) -> Change:
    """The analysis span an edit replaces; its replacement must read as it is written."""
    low, high = edit.start - base, edit.end - base
    index = locate(low, high)
    segment = document.segments[index]
    kind = "json" if segment.json_pointer is not None else "none"
    if edit.piece.escape != kind or (kind == "json" and "\\" in edit.text):
        raise Unpatchable  # the replacement would not read as it is written
    start = segment.start + _char_index(segment.raw, low)
    end = segment.start + _char_index(segment.raw, high)
    if (
        end > segment.end
        or _has_line_break(edit.text)
        or _has_line_break(document.text, start, end)
    ):
        raise Unpatchable  # a line break would move: lines are structure to some readers
    return Change(start, end, index, edit.text)


def _has_line_break(text: str, start: int = 0, end: int | None = None) -> bool:
    return text.find("\n", start, end) >= 0 or text.find("\r", start, end) >= 0


class _Locator:
    """Finds the segment whose raw span holds a raw span (segments sorted by raw start).

    Text that is its own raw text has its segments in raw order already, each at its own raw
    place: their text starts serve (a long log has thousands of segments, and sorting them
    cost as much as the rest of locating its edits)."""

    def __init__(self, document: Document) -> None:
        segments = self._segments = document.segments
        self._order: Sequence[int]
        if document.text is document.raw_text:
            self._order = range(len(segments))
            self._starts = document.segment_starts
            return
        raw_starts = [segment.raw.start for segment in segments]
        self._order = sorted(range(len(segments)), key=raw_starts.__getitem__)
        self._starts = [raw_starts[index] for index in self._order]

    def __call__(self, low: int, high: int) -> int:
        position = bisect.bisect_right(self._starts, low) - 1
        if position < 0 or self._segments[self._order[position]].raw.end < high:
            raise Unpatchable
        return self._order[position]


def _char_index(raw: RawString, offset: int) -> int:
    """Index, in a segment's text, of the character at raw `offset` (or its end)."""
    if raw.offsets is None:
        return offset - raw.start
    index = bisect.bisect_left(raw.offsets, offset)
    if index == len(raw.offsets) or raw.offsets[index] != offset:
        raise Unpatchable  # inside one escape sequence
    return index


def _patch_identity(document: Document, changes: Sequence[Change], new_raw: str) -> Document:
    """Text that is its own raw text (plain text, logs): one segment maps it all.

    Its segments carry nothing but the identity map and a speaker for locations, so one
    segment over the whole text serves the rules; turns keep their speakers.
    """
    if _replaced(document.text, changes) != new_raw:
        raise Unpatchable  # the output does not hold what the changes say
    if any(s.audio_start is not None or s.mirror for s in document.segments):
        raise Unpatchable
    shift = Shift([(change.start, change.end, len(change.text)) for change in changes])
    owned = document.owned_span
    return Document(
        path=document.path,
        format=document.format,
        text=new_raw,
        raw_text=new_raw,
        segments=[Segment(0, len(new_raw), RawString(0, len(new_raw)))] if new_raw else [],
        turns=moved_turns(document.turns, changes),
        raw_origin=document.raw_origin,
        owned_span=None if owned is None else (shift.position(owned[0]), shift.position(owned[1])),
    )


def _patch_mapped(
    document: Document,
    changes: Sequence[Change],
    edits: Sequence[Edit],
    spans: Sequence[Span],
    new_raw: str,
) -> Document:
    """Text built from pieces of the raw text (JSON strings): each segment moved or re-read."""
    base = document.raw_origin[0]
    raw_shift = Shift(
        [(e.start - base, e.end - base, b - a) for e, (a, b) in zip(edits, spans, strict=True)]
    )
    text = _replaced(document.text, changes)
    shift = Shift([(change.start, change.end, len(change.text)) for change in changes])
    mover = _SegmentMover(document, text, new_raw, raw_shift, shift)
    segments = moved_segments(document.segments, changes, raw_shift, mover.reread)
    owned = document.owned_span
    return Document(
        path=document.path,
        format=document.format,
        text=text,
        raw_text=new_raw,
        segments=segments,
        turns=moved_turns(document.turns, changes),
        raw_origin=document.raw_origin,
        owned_span=None if owned is None else (shift.position(owned[0]), shift.position(owned[1])),
    )


def _replaced(text: str, changes: Sequence[Change]) -> str:
    parts: list[str] = []
    cursor = 0
    for change in changes:
        parts += (text[cursor : change.start], change.text)
        cursor = change.end
    parts.append(text[cursor:])
    return "".join(parts)


class _SegmentMover:
    """Reads an edited segment of a mapped text back from the output (`moved_segments` moves
    the others)."""

    def __init__(
        self, document: Document, text: str, new_raw: str, raw_shift: Shift, text_shift: Shift
    ) -> None:
        self._document = document
        self._text = text
        self._new_raw = new_raw
        self._raw_shift = raw_shift
        self._text_shift = text_shift

    def reread(self, segment: Segment, start: int) -> Segment:
        """An edited segment at `start`: its new text must be exactly what the output holds."""
        self._check_decoded(segment)
        low = self._raw_shift.position(segment.raw.start)
        high = self._raw_shift.position(segment.raw.end)
        end = self._text_shift.position(segment.end)
        if end - start != high - low or self._new_raw[low:high] != self._text[start:end]:
            raise Unpatchable  # the output does not hold what the model says it holds
        return copy_with(segment, start=start, end=end, raw=RawString(low, high))

    def _check_decoded(self, segment: Segment) -> None:
        """The segment's analysis text must be its raw text decoded, nothing more."""
        document, raw = self._document, segment.raw
        text = document.text[segment.start : segment.end]
        body = document.raw_text[raw.start : raw.end]
        if raw.offsets is None:
            decoded = body
        elif segment.json_pointer is not None:
            try:
                decoded = json.loads(f'"{body}"')
            except ValueError:
                raise Unpatchable from None
        else:
            raise Unpatchable
        if decoded != text:
            raise Unpatchable
