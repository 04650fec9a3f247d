"""Candidate expanders: where inside a regex match the value may really be.

A regex finds a maximal run of digit groups ("4111 1111 1111 1111 123"). If the whole run is not a
valid value, the value may still be a run of whole groups inside it, such as a card number
followed by its security code. Expanders list those sub-spans, best first; the rule judges the
whole run itself before it asks (`PatternRule`), so they leave it out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

Expander = Callable[[str, int, int], Iterator[tuple[int, int]]]

_DIGIT_GROUP = re.compile(r"\d{1,19}")
_MIN_DIGITS, _MAX_DIGITS = 12, 19


def digit_groups(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Every run of whole groups inside the run, short of the whole run, holding 12-19 digits.

    Sub-runs come leftmost first and, from one start, longest first, so "4111 1111 1111 1111 123"
    yields the 16-digit card before anything shorter. A run of up to 19 digits without
    separators is never cut: digits inside a longer unbroken number are not a card number.
    (A longer one is read as groups of 19 digits and the rest.)
    """
    if end - start <= _MAX_DIGITS and text[start:end].isdecimal():
        return  # one group (`\d` is `str.isdecimal`): nothing inside it to try
    groups = [m.span() for m in _DIGIT_GROUP.finditer(text, start, end)]
    if len(groups) < 2:
        return
    lengths = [stop - begin for begin, stop in groups]
    subruns: list[tuple[int, int, int]] = []
    for first in range(len(groups)):
        total = 0
        for last in range(first, len(groups)):
            total += lengths[last]
            if total > _MAX_DIGITS:
                break
            if total >= _MIN_DIGITS and (first, last) != (0, len(groups) - 1):
                subruns.append((groups[first][0], -total, groups[last][1]))
    for begin, _, stop in sorted(subruns):
        yield begin, stop


EXPANDERS: dict[str, Expander] = {"digit_groups": digit_groups}
