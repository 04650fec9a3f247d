"""SubRip (SRT) subtitles: one turn per cue, with audio times; speakers from "Name:" or "- ".

An SRT cue is an index line, a timing line ("00:00:01,000 --> 00:00:04,000") and text lines up
to a blank line. Text maps to the raw file exactly; the HTML-like tags some players accept
(`<i>`, `<font ...>`) are skipped just as WebVTT markup is. Blocks without a timing line are still
scanned, as speakerless turns: nothing in the file goes unread.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from callguard.document import Document, DocumentBuilder
from callguard.formats.text import line_spans
from callguard.formats.webvtt import add_cue_block, split_blocks

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "srt"

_TIME = r"(\d{1,9}):([0-5]\d):([0-5]\d)[,.](\d{1,3})"
_TIMING_TEXT = rf"[ \t]{{0,16}}{_TIME}[ \t]{{0,16}}-->[ \t]{{0,16}}{_TIME}"
_TIMING = re.compile(rf"{_TIMING_TEXT}(?=\s|\Z)")
_INDEX = re.compile(r"[ \t]{0,16}\d{1,9}[ \t]{0,16}")
_EOL = r"(?:\r\n|\r|\n)"
# The file opens with an optional index line, then a timing line: plain logs never do.
_BLANK_LINES = rf"(?:[ \t]{{0,16}}{_EOL}){{0,16}}"
_INDEX_LINE = rf"(?:[ \t]{{0,16}}\d{{1,9}}[ \t]{{0,16}}{_EOL})?"
_START = re.compile(rf"\ufeff?{_BLANK_LINES}{_INDEX_LINE}{_TIMING_TEXT}")


def looks_like(raw_text: str) -> bool:
    """An SRT file starts (after a BOM and blank lines) with "1" then a cue timing line."""
    return _START.match(raw_text) is not None


def read(path: str, raw_text: str, options: FormatOptions) -> Document:
    """Read every block; an index line before the timing line is skipped, not scanned."""
    builder = DocumentBuilder(path, FORMAT_NAME, raw_text)
    for block in split_blocks(raw_text, line_spans(raw_text)):
        add_cue_block(builder, raw_text, block, _TIMING, _seconds, _INDEX)
    return builder.build()


def _seconds(match: re.Match[str], group: int) -> float:
    """Seconds of the time stamp whose hours group is `group`; "5" milliseconds means 500."""
    hours, minutes, seconds = (int(match[group + i]) for i in range(3))
    return hours * 3600 + minutes * 60 + seconds + float("0." + match[group + 3])
