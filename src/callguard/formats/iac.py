"""Placeholder: config-file reader being written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from callguard.document import Document

if TYPE_CHECKING:
    from callguard.formats import FormatOptions


def detect(path: str, raw_text: str) -> str | None:
    """The config kind of this file, or None if it is not one this module reads."""
    return None


def read(path: str, raw_text: str, kind: str, options: FormatOptions) -> Document:
    raise NotImplementedError
