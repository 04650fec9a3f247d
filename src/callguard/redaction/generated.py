"""Text redaction wrote itself: `hash` and `token` replacements, and where they are now.

A rule may see a number inside a hash or token callguard wrote (twelve hex digits, base64):
that is not a leak, so a finding lying wholly inside such text is not redacted again. Only
text of those generated shapes is exempt; `partial` keeps real digits and never is. The
spans move with every later round's edits.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from callguard.model import Finding
from callguard.redaction.pieces import Edit
from callguard.redaction.tokens import TOKEN

Span = tuple[int, int]
GENERATED = re.compile(rf"\[[A-Z][A-Z0-9_]{{0,39}}(?::hmac:[0-9a-f]{{12}})?\]|{TOKEN.pattern}")


def carry(exempt: list[Span], edits: Sequence[Edit], spans: Sequence[Span]) -> list[Span]:
    """Generated spans after this round's edits: old ones moved (or dropped if edited), new added.

    `exempt` and `edits` are offsets in the text before the round, `spans` (where each
    replacement landed) offsets in the text after it, on the same base.
    """
    kept: list[Span] = []
    index = shift = 0
    for start, end in exempt:
        while index < len(edits) and edits[index].end <= start:
            shift = spans[index][1] - edits[index].end
            index += 1
        if index < len(edits) and edits[index].start < end:
            continue
        kept.append((start + shift, end + shift))
    new = [span for span, edit in zip(spans, edits, strict=True) if GENERATED.fullmatch(edit.text)]
    return sorted(kept + new)


def is_generated(finding: Finding, starts: list[int], exempt: list[Span]) -> bool:
    """True if every location lies inside one generated span (`starts`: their starts)."""
    return bool(exempt) and all(
        _inside(loc.char_offset, loc.char_length, starts, exempt) for loc in finding.locations
    )


def _inside(offset: int, length: int, starts: list[int], spans: list[Span]) -> bool:
    index = bisect.bisect_right(starts, offset) - 1
    return index >= 0 and offset + length <= spans[index][1]
