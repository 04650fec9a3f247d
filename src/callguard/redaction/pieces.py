"""From findings to edits of the raw text: pieces, merged, rendered, escaped, applied.

A finding's locations are raw character spans (absolute in the file, even for a window of a
huge text). Each location becomes a `Piece`: its raw text, its decoded text (the analysis
text it maps to: a JSON escape such as `\\u0034` decodes to one digit), how replacement text
must be escaped there (inside a JSON string, in a caption with `&amp;` entities, or as is),
and what it needs from the whole finding (digit positions for `partial`, the value for `hash`).
Overlapping pieces are merged, so every edit touches its own characters; edits are applied as
if right to left (each is placed by its offset in the original text), lengths may change.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from callguard.document import Document, Segment
from callguard.model import Finding, Location

_HTML_FORMATS = frozenset({"webvtt", "srt"})
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Piece:
    """One raw span to replace, with what rendering it needs (texts hidden from repr)."""

    start: int
    end: int
    entity_type: str
    escape: str  # "json" | "html" | "none"
    text: str = field(repr=False)
    raw: str = field(repr=False)
    group_value: str = field(repr=False, default="")
    digit_offset: int = 0
    digit_total: int = 0
    merged: bool = False
    audio: tuple[float | None, float | None, str | None] | None = None


@dataclass(frozen=True)
class Edit:
    """A replacement of raw span [start, end), and where its text lands in the output."""

    start: int
    end: int
    text: str = field(repr=False)
    piece: Piece


class Decoder:
    """Maps a raw span of one Document back to the analysis text it holds."""

    def __init__(self, document: Document) -> None:
        self._document = document
        self._base = document.raw_origin[0]
        self._identity = document.text is document.raw_text
        # Identity-mapped text decodes as itself: no segment lookup, so no sorting either.
        ordered = [] if self._identity else sorted(document.segments, key=lambda s: s.raw.start)
        self._segments = ordered
        self._starts = [segment.raw.start for segment in ordered]
        self._html = document.format in _HTML_FORMATS

    def decode(self, start: int, end: int) -> tuple[str, str]:
        """(decoded text, escape kind) of absolute raw span [start, end)."""
        low, high = start - self._base, end - self._base
        if self._identity:
            return self._document.raw_text[low:high], "none"
        segment = self._segment(low, high)
        if segment is None:
            return self._document.raw_text[low:high], "none"
        raw = segment.raw
        if raw.offsets is None:
            first, last = low - raw.start, high - raw.start
        else:
            first = bisect.bisect_left(raw.offsets, low)
            last = bisect.bisect_left(raw.offsets, high)
        text = self._document.text[segment.start + first : segment.start + last]
        if segment.json_pointer is not None:
            return text, "json"
        return text, "html" if self._html else "none"

    def _segment(self, low: int, high: int) -> Segment | None:
        index = bisect.bisect_right(self._starts, low) - 1
        if index >= 0 and self._segments[index].raw.end >= high:
            return self._segments[index]
        return None


def finding_pieces(finding: Finding, decoder: Decoder, raw_text: str, base: int) -> list[Piece]:
    """The pieces of one finding; in text kept as is, each piece stops at line breaks.

    Piece offsets are absolute in the file; `raw_text` starts at absolute offset `base`.
    """
    parts: list[tuple[int, int, str, str, Location]] = []
    for location in finding.locations:
        start, end = location.char_offset, location.char_offset + location.char_length
        text, kind = decoder.decode(start, end)
        if kind != "none" or len(text) != end - start:
            parts.append((start, end, text, kind, location))
            continue
        for begin, stop in _line_parts(text, start):
            parts.append((begin, stop, text[begin - start : stop - start], kind, location))
    value = "".join(char for part in parts for char in part[2] if char.isalnum()).casefold()
    total = sum(char.isdigit() for part in parts for char in part[2])
    pieces: list[Piece] = []
    offset = 0
    for begin, stop, text, kind, location in parts:
        pieces.append(
            Piece(
                start=begin,
                end=stop,
                entity_type=finding.entity_type,
                escape=kind,
                text=text,
                raw=raw_text[begin - base : stop - base],
                group_value=value,
                digit_offset=offset,
                digit_total=total,
                audio=_audio(location),
            )
        )
        offset += sum(char.isdigit() for char in text)
    return pieces


def _line_parts(text: str, start: int) -> list[tuple[int, int]]:
    """Absolute spans of the parts of `text` (raw, at `start`) between its line breaks."""
    if "\n" not in text and "\r" not in text:
        return [(start, start + len(text))]
    parts, cursor = [], 0
    for match in _LINE_BREAKS.finditer(text):
        if match.start() > cursor:
            parts.append((start + cursor, start + match.start()))
        cursor = match.end()
    if cursor < len(text):
        parts.append((start + cursor, start + len(text)))
    return parts


def _audio(location: Location) -> tuple[float | None, float | None, str | None] | None:
    if location.audio_start is None and location.audio_end is None:
        return None
    return location.audio_start, location.audio_end, location.speaker


Decode = Callable[[int, int], tuple[str, str]]


def merge_pieces(pieces: Iterable[Piece], decode: Decode, raw_text: str, base: int) -> list[Piece]:
    """Sorted, non-overlapping pieces: overlapping ones become one piece over their union.

    The union takes the entity type of its longest member and is never shown in part
    (`partial` masks it), since its digits no longer belong to one number.
    """
    ordered = sorted(pieces, key=lambda p: (p.start, -p.end))
    clusters: list[list[Piece]] = []
    end = -1
    for piece in ordered:
        if clusters and piece.start < end:
            clusters[-1].append(piece)
            end = max(end, piece.end)
        else:
            clusters.append([piece])
            end = piece.end
    return [
        cluster[0] if len(cluster) == 1 else _union(cluster, decode, raw_text, base)
        for cluster in clusters
    ]


def _union(cluster: Sequence[Piece], decode: Decode, raw_text: str, base: int) -> Piece:
    start, end = cluster[0].start, max(p.end for p in cluster)
    longest = max(cluster, key=lambda p: p.end - p.start)
    text, escape = decode(start, end)
    times = [p.audio for p in cluster if p.audio is not None]
    return Piece(
        start=start,
        end=end,
        entity_type=longest.entity_type,
        escape=escape,
        text=text,
        raw=raw_text[start - base : end - base],
        group_value="".join(c for c in text if c.isalnum()).casefold(),
        merged=True,
        audio=times[0] if times else None,
    )


def escape(text: str, kind: str) -> str:
    """Replacement text in the syntax of its place: a JSON string body, a caption, or as is."""
    if kind == "json":
        return json.dumps(text, ensure_ascii=False)[1:-1]
    if kind == "html":
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def apply_edits(
    raw_text: str, edits: Sequence[Edit], base: int = 0
) -> tuple[str, list[tuple[int, int]]]:
    """The raw text with every edit made, and the output span of each replacement.

    Edits must be sorted and non-overlapping, with absolute offsets (`raw_text` starts at
    `base`); each is placed by its offset in the original text, which is what applying them
    right to left achieves, in one linear pass. Output spans are relative to the output.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    cursor = length = 0
    for edit in edits:
        start, end = edit.start - base, edit.end - base
        parts.append(raw_text[cursor:start])
        length += start - cursor
        parts.append(edit.text)
        spans.append((length, length + len(edit.text)))
        length += len(edit.text)
        cursor = end
    parts.append(raw_text[cursor:])
    return "".join(parts), spans
