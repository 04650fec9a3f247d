"""Placeholder: chat JSON / JSONL reader is being written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from callguard.document import Document, DocumentBuilder
from callguard.errors import InputError
from callguard.formats.jsonpos import ParsedJson

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "chat"


def matches(value: Any) -> bool:
    return False


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    raise NotImplementedError


def looks_like_jsonl(raw_text: str) -> bool:
    return False


def read_jsonl(path: str, raw_text: str, options: FormatOptions) -> Document:
    raise InputError(f"{path}: JSONL not supported yet")
