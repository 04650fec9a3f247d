"""Chat JSON and JSON Lines: one turn per message, speaker from its author field.

A chat file is a list of message objects, or an object holding one under a key such as
"messages" or "transcript". The message texts become the conversation, in order, so detectors
can follow a number typed over several messages. Every other string in the file (metadata,
attachments, author names) is scanned too, as speakerless turns after the conversation, so
nothing is missed and the conversation stays contiguous; message time stamps are not scanned.

JSON Lines files are parsed line by line with raw offsets kept exact; a line that is a chat
message becomes a turn, any other line has all its strings scanned.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from callguard.document import Document, DocumentBuilder, RawString
from callguard.errors import InputError
from callguard.formats import jsonpos
from callguard.formats.jsonpos import ParsedJson, iter_strings, pointer_join

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "chat"
JSONL_FORMAT_NAME = "jsonl"

CONTAINER_KEYS = frozenset(
    ("messages", "conversation", "transcript", "entries", "chat", "events", "items", "turns")
)
_AUTHOR_NAME_KEYS = ("name", "display_name", "displayName", "real_name", "role", "id")
_CONTENT = re.compile(r"[^\s\ufeff]")
_LINE_END = re.compile(r"\r\n|\r|\n")

Deferred = list[tuple[str, str, RawString]]


@functools.cache
def _defaults() -> FormatOptions:
    """Default options, for `matches`, which is called without them."""
    from callguard.formats import FormatOptions

    return FormatOptions()


def matches(value: Any) -> bool:
    """A list (or a container key's list) whose elements are mostly messages with text."""
    return find_messages(value, _defaults().chat_text_fields) is not None


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    """Add each message as a turn, then every other string as a speakerless turn."""
    found = find_messages(parsed.value, options.chat_text_fields)
    messages, base = found if found is not None else ([], "")
    taken: set[str] = set()
    for index, message in enumerate(messages):
        pointer = pointer_join(base, index)
        taken |= add_message(builder, parsed, message, pointer, options)
    add_rest(builder, list(rest_strings(parsed, taken)))


def find_messages(
    value: Any, fields: Sequence[str], depth: int = 0
) -> tuple[Sequence[Any], str] | None:
    """The message list and its JSON pointer: the value itself, or under a container key
    (at most two levels down), provided at least half its elements are messages with text."""
    if isinstance(value, list):
        hits = sum(1 for message in value if text_key(message, fields) is not None)
        return (value, "") if hits and hits * 2 >= len(value) else None
    if not isinstance(value, dict) or depth > 1:
        return None
    for key, child in value.items():
        if isinstance(key, str) and key.lower() in CONTAINER_KEYS:
            found = find_messages(child, fields, depth + 1)
            if found is not None:
                return found[0], pointer_join("", key) + found[1]
    return None


def text_key(message: Any, fields: Sequence[str]) -> str | None:
    """The first text field of a message object holding a string, or None."""
    if not isinstance(message, dict):
        return None
    return next((f for f in fields if isinstance(message.get(f), str)), None)


def add_message(
    builder: DocumentBuilder,
    parsed: ParsedJson,
    message: Any,
    pointer: str,
    options: FormatOptions,
) -> set[str]:
    """Add one message as a turn; return the pointers it consumed (text and time fields)."""
    key = text_key(message, options.chat_text_fields)
    if key is None:
        return set()
    text_pointer = pointer_join(pointer, key)
    raw = parsed.raw(text_pointer)
    taken = {text_pointer, *(pointer_join(pointer, f) for f in options.chat_time_fields)}
    if raw is None or not message[key]:
        return taken
    speaker = _author(message, options.chat_author_fields)
    seconds = _seconds(message, options.chat_time_fields)
    builder.start_turn(speaker=speaker, audio_start=seconds)
    builder.add(message[key], raw, json_pointer=text_pointer, audio_start=seconds)
    return taken


def rest_strings(parsed: ParsedJson, taken: set[str]) -> Iterator[tuple[str, str, RawString]]:
    """(pointer, text, raw place) of every non-empty string not already consumed, in file order."""
    for pointer, text in iter_strings(parsed.value):
        raw = parsed.raw(pointer)
        if text and raw is not None and pointer not in taken:
            yield pointer, text, raw


def add_rest(builder: DocumentBuilder, rest: Deferred) -> None:
    """Add leftover strings, one speakerless turn each, after the conversation."""
    for pointer, text, raw in rest:
        builder.start_turn()
        builder.add(text, raw, json_pointer=pointer)


def _author(message: dict[str, Any], fields: Sequence[str]) -> str | None:
    for field in fields:
        author = message.get(field)
        if isinstance(author, dict):
            author = next(
                (author[k] for k in _AUTHOR_NAME_KEYS if isinstance(author.get(k), str)), None
            )
        if isinstance(author, str) and author:
            return author
    return None


def _seconds(message: dict[str, Any], fields: Sequence[str]) -> float | None:
    """A time field counts only as plain seconds (a number); date strings are not audio times."""
    for field in fields:
        value = message.get(field)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def looks_like_jsonl(raw_text: str) -> bool:
    """The first non-blank line is, on its own, a whole JSON object or array."""
    first = _CONTENT.search(raw_text)
    if first is None or raw_text[first.start()] not in "{[":
        return False
    line_end = _LINE_END.search(raw_text, first.start())
    try:
        json.loads(raw_text[first.start() : line_end.start() if line_end else len(raw_text)])
    except (ValueError, RecursionError):
        return False
    return True


def read_jsonl(path: str, raw_text: str, options: FormatOptions) -> Document:
    """One record per line; chat messages become turns, other records' strings follow them."""
    builder = DocumentBuilder(path, JSONL_FORMAT_NAME, raw_text)
    rest: Deferred = []
    for number, start, end in _lines(raw_text):
        line = raw_text[start:end]
        if not line.strip():
            continue
        parsed = _parse_line(path, line, start, number)
        taken: set[str] = set()
        if text_key(parsed.value, options.chat_text_fields) is not None:
            taken = add_message(builder, parsed, parsed.value, "", options)
        rest.extend(rest_strings(parsed, taken))
    add_rest(builder, rest)
    return builder.build()


def _lines(raw_text: str) -> Iterator[tuple[int, int, int]]:
    """(1-based line number, start, end) of every line, line end excluded."""
    start, number = 0, 1
    for match in _LINE_END.finditer(raw_text):
        yield number, start, match.start()
        start, number = match.end(), number + 1
    yield number, start, len(raw_text)


def _parse_line(path: str, line: str, offset: int, number: int) -> ParsedJson:
    """Parse one record; a syntax error names the file line and column, never the text."""
    try:
        return jsonpos.parse(line, offset=offset, path=path)
    except InputError:
        where = f"line {number}"
        try:
            json.loads(line.removeprefix("\ufeff"))
        except json.JSONDecodeError as exc:
            where += f" column {exc.colno + line.startswith(chr(0xFEFF))}: {exc.msg}"
        except RecursionError:
            where += ": nested too deeply"
        raise InputError(f"{path}: malformed JSON Lines record at {where}") from None
