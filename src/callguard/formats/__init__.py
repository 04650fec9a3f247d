"""Input formats: raw bytes in, Documents out; the format is detected from content.

Each format module does one job. JSON formats expose `matches(value) -> bool`, tried in the order
of `JSON_FORMATS` (most specific first, generic JSON last), and `read(parsed, builder, options)`.
Line-based formats expose `looks_like(text) -> bool` and `read(...)`. Compressed input is
unwrapped first, so every format also works gzipped.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType

from callguard.document import Document, DocumentBuilder
from callguard.errors import InputError
from callguard.formats import (
    assemblyai,
    chat,
    config,
    contact_lens,
    deepgram,
    generic_json,
    google,
    iac,
    jsonpos,
    slack,
    srt,
    text,
    transcribe,
    webvtt,
    whisper,
)

# Tried in order; the first whose `matches` accepts the parsed value reads it.
JSON_FORMATS: tuple[ModuleType, ...] = (
    transcribe,
    contact_lens,
    deepgram,
    assemblyai,
    whisper,
    google,
    slack,
    chat,
    generic_json,
)

# Config files, recognised by name and a cheap look at the content; tried before the rest.
# Their Documents carry parsed settings for the config checks, and their text for PAN/PHI rules.
CONFIG_FORMATS: tuple[ModuleType, ...] = (iac, config)

GZIP_MAGIC = b"\x1f\x8b"
_BINARY_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FormatOptions:
    """How to read inputs; every field has a default that suits most contact centers."""

    chat_text_fields: tuple[str, ...] = ("text", "message", "content", "body", "Content")
    chat_author_fields: tuple[str, ...] = (
        "author",
        "speaker",
        "sender",
        "role",
        "from",
        "user",
        "participant",
        "ParticipantRole",
    )
    chat_time_fields: tuple[str, ...] = ("time", "timestamp", "ts", "created_at", "date")
    max_decompressed_bytes: int = 2 * 1024**3
    window_chars: int = 8 * 1024 * 1024
    extra: dict[str, str] = field(default_factory=dict)


class BinaryInput(InputError):
    """The input is binary (not text, not gzip of text): skipped with a note, not an error."""


def read_documents(
    path: str, data: bytes, options: FormatOptions | None = None
) -> Iterator[Document]:
    """Detect the format of `data` and yield its Documents (several only for huge plain text)."""
    options = options or FormatOptions()
    if data[:2] == GZIP_MAGIC:
        data = gunzip(path, data, options.max_decompressed_bytes)
    if is_binary(data):
        raise BinaryInput(f"{path}: binary content, not scanned")
    raw_text = data.decode("utf-8", "surrogateescape")
    yield from read_text(path, raw_text, options)


def read_text(path: str, raw_text: str, options: FormatOptions | None = None) -> Iterator[Document]:
    """Yield the Documents of already-decoded text, detecting its format."""
    options = options or FormatOptions()
    for config_module in CONFIG_FORMATS:
        kind = config_module.detect(path, raw_text)
        if kind is not None:
            yield config_module.read(path, raw_text, kind, options)
            return
    if _looks_like_json(raw_text) or _has_json_extension(path):
        yield _read_json(path, raw_text, options)
        return
    for module in (webvtt, srt):
        if module.looks_like(raw_text):
            yield module.read(path, raw_text, options)
            return
    yield from text.read(path, raw_text, options)


def is_plain_text(path: str, raw_text: str) -> bool:
    """Whether `read_text` reads `raw_text` as plain text: no config, JSON or caption format
    claims it (the same tests, in the same order, without reading anything). The redaction
    read-back asks this of every output whose head an edit touched; reading the head to find
    out cost as much as the rest of the read-back on short calls."""
    if any(module.detect(path, raw_text) is not None for module in CONFIG_FORMATS):
        return False
    if _looks_like_json(raw_text) or _has_json_extension(path):
        return False
    return not any(module.looks_like(raw_text) for module in (webvtt, srt))


def is_binary(data: bytes) -> bool:
    """Binary files have NUL bytes early on; UTF-16 text does too and is treated as binary."""
    return b"\x00" in data[:_BINARY_SNIFF_BYTES]


def _read_json(path: str, raw_text: str, options: FormatOptions) -> Document:
    if _has_jsonl_extension(path):
        return chat.read_jsonl(path, raw_text, options)
    try:
        parsed = jsonpos.parse(raw_text, path=path)
    except InputError:
        if chat.looks_like_jsonl(raw_text):
            return chat.read_jsonl(path, raw_text, options)
        raise
    for module in JSON_FORMATS:
        if module.matches(parsed.value):
            # A module reading two shapes (Contact Lens voice/chat) names the one it saw.
            name_of = getattr(module, "format_name", None)
            name = name_of(parsed.value) if name_of else module.FORMAT_NAME
            builder = DocumentBuilder(path, name, raw_text)
            module.read(parsed, builder, options)
            return builder.build()
    raise AssertionError("generic_json matches every JSON value")


def _looks_like_json(raw_text: str) -> bool:
    """An object or array opening the text, as far as its first value shows.

    A log line can open with brackets too: "[[cg1:...]]" (a redaction token), "[10:02] Agent:".
    So an array must open with a value JSON allows, and a nested array likewise.
    """
    head = raw_text[:256].lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return head[1:].lstrip().startswith(('"', "}"))
    if head.startswith("["):
        rest = head[1:].lstrip()
        if rest.startswith("["):
            return rest[1:].lstrip().startswith(_JSON_VALUE_STARTS)
        return rest.startswith(("{", '"', "]"))
    return False


# How a JSON value can begin (true, false and null by their first letters are too loose).
_JSON_VALUE_STARTS = ("{", "[", '"', "]", "-", *"0123456789", "true", "false", "null")


def _has_json_extension(path: str) -> bool:
    name = path.lower().removesuffix(".gz")
    return name.endswith((".json", ".jsonl", ".ndjson"))


def _has_jsonl_extension(path: str) -> bool:
    """A one-record JSON Lines file is also valid JSON: the extension says which it is."""
    return path.lower().removesuffix(".gz").endswith((".jsonl", ".ndjson"))


def gunzip(path: str, data: bytes, limit: int) -> bytes:
    """Decompress gzip data, refusing more than `limit` bytes (a decompression bomb)."""
    output = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(1024 * 1024):
                output.write(chunk)
                if output.tell() > limit:
                    raise InputError(f"{path}: decompresses to more than {limit} bytes")
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: corrupt gzip data ({exc.__class__.__name__})") from None
    return output.getvalue()
