"""Generic JSON: every string value is scanned, each in its own turn, located by JSON pointer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from callguard.document import DocumentBuilder
from callguard.formats.jsonpos import ParsedJson, iter_strings

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "json"


def matches(value: Any) -> bool:
    """The fallback: any JSON value."""
    return True


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    """Add every string value, in file order, separated by newlines."""
    for pointer, value in iter_strings(parsed.value):
        raw = parsed.raw(pointer)
        if raw is None or not value:
            continue
        builder.start_turn()
        builder.add(value, raw, json_pointer=pointer)
