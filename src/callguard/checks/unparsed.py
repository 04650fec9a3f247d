"""A config file recognised but not parsed: say so, instead of skipping its checks silently.

Its text is still scanned for card data and PHI (the Document keeps it); only the structural
checks cannot run. The finding points at the line the parser stopped on, when it says which.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from callguard.document import Document
from callguard.formats.iac import parsed_tree
from callguard.lines import line_starts
from callguard.model import RuleMeta
from callguard.rule import Match

_AT_LINE = re.compile(r"at line (\d{1,9})")


class UnparsedConfigRule:
    """One finding per config file whose parsed tree carries a parse error."""

    def __init__(self, meta: RuleMeta) -> None:
        self._meta = meta

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    def __repr__(self) -> str:
        return f"UnparsedConfigRule({self._meta.id})"

    def scan(self, document: Document) -> Iterator[Match]:
        tree = parsed_tree(document)
        if tree is None or tree.error is None:
            return
        starts = line_starts(document.raw_text)
        found = _AT_LINE.search(tree.error)
        index = min(int(found.group(1)) - 1, len(starts) - 1) if found else 0
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(document.raw_text)
        end = len(document.raw_text[start:end].rstrip("\r\n")) + start
        yield Match(
            rule_id=self._meta.id,
            confidence=1.0,
            value=f"{tree.kind} not parsed: {tree.error}",
            raw_spans=((start, max(end, start)),),
        )


def _unparsed(meta: RuleMeta, options: Mapping[str, Any]) -> UnparsedConfigRule:
    return UnparsedConfigRule(meta)


DETECTORS = {"config_not_parsed": _unparsed}
