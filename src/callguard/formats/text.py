"""Plain text and logs: the raw text is the analysis text, character for character."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from callguard.document import Document, DocumentBuilder, RawString

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "text"


def read(path: str, raw_text: str, options: FormatOptions) -> Iterator[Document]:
    """One Document whose text is the raw text (identity map)."""
    builder = DocumentBuilder(path, FORMAT_NAME, raw_text)
    builder.add(raw_text, RawString(0, len(raw_text)))
    yield builder.build()
