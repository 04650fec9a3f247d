"""WebVTT captions: one turn per cue, with the cue's audio times and the `<v Name>` speaker.

Cue text maps to the raw file character for character; markup (`<v ...>`, `<i>`, `<c.x>`,
`<00:01.000>`) is left out of the analysis text so a number broken by a tag still reads as one,
and entities (`&amp;`) become their character mapped to the whole entity. The voice name is kept
in the analysis text ("Name: ...") at its raw place, because a caller's name is PHI too. NOTE
blocks are scanned as speakerless turns (a comment can still hold a card number); STYLE and
REGION blocks, cue identifiers and cue settings are not text and are skipped.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING

from callguard.document import Document, DocumentBuilder, RawString
from callguard.formats.text import line_spans

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "webvtt"

_HEADER = re.compile(r"\ufeff?WEBVTT(?=[ \t\r\n]|\Z)")
_BLOCK_KIND = re.compile(r"(?:STYLE|REGION|NOTE)(?=[ \t]|\Z)")
_TIME = r"(?:(\d{1,9}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"[ \t]{{0,16}}{_TIME}[ \t]{{1,16}}-->[ \t]{{1,16}}{_TIME}(?=[ \t]|\Z)")
_MARKUP = re.compile(r"<[^<>\r\n]{0,256}>|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_VOICE = re.compile(r"<v(?:\.[\w-]{1,64}){0,8}[ \t]{1,16}([^<>\r\n]{1,200})>")
_CUE_SPEAKER = re.compile(
    r"[ \t]{0,4}(?P<dash>-[ \t]{1,4})?"
    r"(?:(?P<name>[A-Z][\w'.-]{0,30}(?: [A-Z0-9][\w'.-]{0,30}){0,2}"
    r"|(?i:spk|speaker|channel)[ _]?\d{1,3})[ \t]{0,2}:(?=\s|\Z))?"
)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "lrm": "\u200e", "rlm": "\u200f"}
_ENTITIES |= {"quot": '"', "apos": "'"}

Span = tuple[int, int]


def looks_like(raw_text: str) -> bool:
    """A WebVTT file starts with "WEBVTT" (after an optional BOM), then a space or line end."""
    return _HEADER.match(raw_text) is not None


def read(path: str, raw_text: str, options: FormatOptions) -> Document:
    """Read every block: cues become timed turns, notes and stray text speakerless turns."""
    builder = DocumentBuilder(path, FORMAT_NAME, raw_text)
    blocks = split_blocks(raw_text, line_spans(raw_text))
    for number, block in enumerate(blocks):
        first_start, first_end = block[0]
        first = raw_text[first_start:first_end]
        if number == 0 and _HEADER.match(first):
            add_plain(builder, raw_text, [(first_start + first.find("WEBVTT") + 6, first_end)])
            add_cue_block(builder, raw_text, block[1:], _TIMING, _seconds)
        elif (kind := _BLOCK_KIND.match(first)) and kind[0] != "NOTE":
            continue
        elif kind:
            add_plain(builder, raw_text, [(first_start + 4, first_end), *block[1:]])
        else:
            add_cue_block(builder, raw_text, block, _TIMING, _seconds)
    return builder.build()


def split_blocks(raw_text: str, lines: list[Span]) -> list[list[Span]]:
    """Group line spans into blocks separated by blank (or whitespace-only) lines."""
    blocks: list[list[Span]] = []
    current: list[Span] = []
    for start, end in lines:
        if raw_text[start:end].strip():
            current.append((start, end))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def add_cue_block(
    builder: DocumentBuilder,
    raw_text: str,
    block: list[Span],
    timing: re.Pattern[str],
    seconds: Callable[[re.Match[str], int], float],
    index: re.Pattern[str] | None = None,
) -> None:
    """Add the cues of one block; text before the first timing line other than one identifier
    line (any line if `index` is None, else only one `index` matches) is scanned as plain text.

    A block may hold several cues when a file lacks the blank line between them.
    """
    found = [(i, m) for i, span in enumerate(block) if (m := timing.match(raw_text, *span))]
    if not found:
        add_plain(builder, raw_text, block)
        return
    head = block[: found[0][0]]
    if len(head) > 1 or (head and index is not None and not _is_index(raw_text, head[0], index)):
        add_plain(builder, raw_text, head)
    stops = [i for i, _ in found[1:]] + [len(block)]
    for (line, match), stop in zip(found, stops, strict=True):
        payload = block[line + 1 : stop]
        if stop < len(block) and payload and _is_index(raw_text, payload[-1], index):
            payload = payload[:-1]
        add_cue_text(builder, raw_text, payload, (seconds(match, 1), seconds(match, 5)))


def _is_index(raw_text: str, line: Span, index: re.Pattern[str] | None) -> bool:
    return index is not None and index.fullmatch(raw_text, *line) is not None


def add_cue_text(
    builder: DocumentBuilder, raw_text: str, lines: list[Span], times: tuple[float, float]
) -> None:
    """Add cue payload lines as turns: a voice, "Name:" or "- " starts a new one mid-cue."""
    cue = _Cue(builder, raw_text, times)
    for number, (start, end) in enumerate(lines):
        marker = _CUE_SPEAKER.match(raw_text, start, end)
        if number == 0 or (marker and (marker["dash"] or marker["name"])):
            cue.new_turn(marker["name"] if marker else None)
        else:
            cue.separate()
        cue.add_line(marker.end("dash") if marker and marker["dash"] else start, end)


class _Cue:
    """Adds one cue's text, starting each turn lazily so a leading voice tag names it."""

    def __init__(self, builder: DocumentBuilder, raw_text: str, times: tuple[float, float]) -> None:
        self._builder = builder
        self._raw = raw_text
        self._times = times
        self._pending = True
        self._speaker: str | None = None
        self._has_text = False
        self._separate = False

    def new_turn(self, speaker: str | None) -> None:
        self._pending, self._speaker, self._has_text, self._separate = True, speaker, False, False

    def separate(self) -> None:
        """The next text continues this turn on a new line: join with a space."""
        self._separate = self._has_text

    def add_line(self, start: int, end: int) -> None:
        """Add one payload line: text exactly mapped, markup skipped, entities decoded."""
        position = start
        for match in _MARKUP.finditer(self._raw, start, end):
            self._add(position, match.start())
            position = match.end()
            token = match[0]
            if token.startswith("&"):
                self._add_entity(token, match.start(), match.end())
                continue
            voice = _VOICE.fullmatch(token)
            if voice is not None:
                if self._has_text:
                    self.new_turn(voice[1])
                self._speaker = voice[1]
                self._add(match.start() + voice.start(1), match.start() + voice.end(1))
                self._builder.add_separator(": ")
                self._separate = False
        self._add(position, end)

    def _add(
        self, start: int, end: int, text: str | None = None, raw: RawString | None = None
    ) -> None:
        if start == end:
            return
        if self._pending:
            self._builder.start_turn(self._speaker, self._times[0], self._times[1])
            self._pending = False
        elif self._separate:
            self._builder.add_separator(" ")
        self._separate = False
        self._has_text = True
        self._builder.add(
            self._raw[start:end] if text is None else text,
            RawString(start, end) if raw is None else raw,
            audio_start=self._times[0],
            audio_end=self._times[1],
        )

    def _add_entity(self, token: str, start: int, end: int) -> None:
        """An entity is one analysis character mapped to the whole raw entity; unknown ones stay."""
        name = token[1:-1]
        if name.startswith(("#x", "#X")):
            code = int(name[2:], 16)
        elif name.startswith("#"):
            code = int(name[1:])
        else:
            code = ord(_ENTITIES[name]) if name in _ENTITIES else -1
        if not 0 < code <= 0x10FFFF:
            self._add(start, end)
            return
        self._add(start, end, chr(code), RawString(start, end, array("q", [start, end])))


def add_plain(builder: DocumentBuilder, raw_text: str, lines: list[Span]) -> None:
    """Scan untimed lines (a note, stray text) as one speakerless turn, exactly mapped."""
    pieces = [(e - len(raw_text[s:e].lstrip()), e) for s, e in lines if raw_text[s:e].strip()]
    if not pieces:
        return
    builder.start_turn()
    for number, (start, end) in enumerate(pieces):
        if number:
            builder.add_separator(" ")
        builder.add(raw_text[start:end], RawString(start, end))


def _seconds(match: re.Match[str], group: int) -> float:
    """Seconds of the time stamp whose hours group is `group` (hours optional in WebVTT)."""
    hours = int(match[group] or 0)
    minutes, seconds, millis = (int(match[group + i]) for i in (1, 2, 3))
    return hours * 3600 + minutes * 60 + seconds + millis / 1000
