"""Placeholder: the reader for this format is being written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from callguard.document import DocumentBuilder
from callguard.formats.jsonpos import ParsedJson

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "google"


def matches(value: Any) -> bool:
    return False


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    raise NotImplementedError
