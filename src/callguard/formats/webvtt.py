"""Placeholder: reader being written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from callguard.document import Document

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "webvtt"


def looks_like(raw_text: str) -> bool:
    return False


def read(path: str, raw_text: str, options: FormatOptions) -> Document:
    raise NotImplementedError
