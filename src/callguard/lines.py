"""Line and column numbers of offsets in a raw text, as SARIF counts them.

A finding's location names its line and column. Listing where every line of a 1 MB text starts
costs 1-4 ms (`str.splitlines` tests each character for ten kinds of line break), more than
a PCI scan spends on most of its rules; a file with a few findings needs a few line numbers.
Where LF is the only line break, `LineCounter` counts newlines (`str.count`, memchr speed)
from the nearest offset it was asked about before, so the cost follows the findings' spread,
not the number of lines. Other texts (CR, CRLF, form feeds...) get the full list.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate

_LINE_END = re.compile(r"\r\n?|\n")
# Where `str.splitlines` also breaks; `in` finds each at memchr speed, a regex class does not.
_OTHER_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts; a line ends at CRLF, LF or a lone CR (as SARIF counts).

    `str.splitlines` does the work in C when the text holds no other character it breaks at
    (form feed, U+2028, ...): a Python step per line cost 7 ms per MB.
    """
    if any(character in text for character in _OTHER_BREAKS):
        return [0, *(match.end() for match in _LINE_END.finditer(text))]
    starts = [0, *accumulate(map(len, text.splitlines(keepends=True)))]
    if text and not text.endswith(("\n", "\r")):
        starts.pop()  # the end of the last line, which starts no line
    return starts


class LineCounter:
    """0-based line index and line start of offsets in one text, computed on demand."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None
        if "\r" in text or any(character in text for character in _OTHER_BREAKS):
            self._starts = line_starts(text)
        # Offsets asked about so far, sorted, and the 0-based line of each (LF-only texts).
        self._known: list[int] = [0]
        self._lines: list[int] = [0]

    def line_and_start(self, offset: int) -> tuple[int, int]:
        """The 0-based line holding `offset` and the offset where that line starts."""
        if self._starts is not None:
            index = bisect.bisect_right(self._starts, offset) - 1
            return index, self._starts[index]
        return self._count(offset), self._text.rfind("\n", 0, offset) + 1

    def _count(self, offset: int) -> int:
        """Newlines before `offset`, counted from the nearest offset known on either side."""
        text, known, lines = self._text, self._known, self._lines
        index = bisect.bisect_right(known, offset) - 1
        below = known[index]
        if index + 1 < len(known) and known[index + 1] - offset < offset - below:
            above = known[index + 1]
            line = lines[index + 1] - text.count("\n", offset, above)
        else:
            line = lines[index] + text.count("\n", below, offset)
        if known[index] != offset:
            known.insert(index + 1, offset)
            lines.insert(index + 1, line)
        return line
