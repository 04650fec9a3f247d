"""JSON parsing that remembers where every string value sits in the raw text.

Python's `json` module is fast but forgets positions. In valid JSON a double quote only ever
opens or closes a string, so one regex pass over the raw text finds every string token in order;
walking the parsed tree in document order meets keys and string values in that same order. Zipping
the two gives each string value its raw span without a hand-written parser on the hot path.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from callguard.document import RawString
from callguard.errors import InputError

_STRING_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


class JsonObject(dict[str, Any]):
    """A JSON object that also keeps every (key, value) pair in file order, duplicates included."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.pairs = pairs


@dataclass
class ParsedJson:
    """A parsed JSON value and the raw place of each string value, keyed by JSON pointer."""

    value: Any
    strings: dict[str, RawString]

    def raw(self, pointer: str) -> RawString | None:
        """Raw place of the string value at `pointer`, or None if there is no string there."""
        return self.strings.get(pointer)


def parse(raw_text: str, *, offset: int = 0, path: str = "<input>") -> ParsedJson:
    """Parse `raw_text` as JSON; string places are raw offsets plus `offset`.

    Raises InputError naming the line and column of a syntax error, never quoting the text.
    """
    body = raw_text[1:] if raw_text.startswith("\ufeff") else raw_text
    try:
        value = json.loads(body, object_pairs_hook=JsonObject)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply") from None
    tokens = _STRING_TOKEN.finditer(raw_text)
    strings: dict[str, RawString] = {}
    for pointer, token_start, token_end in _walk(value, "", tokens):
        strings[pointer] = _raw_string(raw_text, token_start, token_end, offset)
    return ParsedJson(value=value, strings=strings)


def pointer_join(parent: str, key: str | int) -> str:
    """Append one reference token to a JSON pointer (RFC 6901 escaping)."""
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"{parent}/{token}"


def iter_strings(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every string value under `value` with its JSON pointer, in file order (keys excluded)."""
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, JsonObject):
        for key, child in value.pairs:
            yield from iter_strings(child, pointer_join(pointer, key))
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from iter_strings(child, pointer_join(pointer, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from iter_strings(child, pointer_join(pointer, index))


def _walk(
    value: Any, pointer: str, tokens: Iterator[re.Match[str]]
) -> Iterator[tuple[str, int, int]]:
    """Yield (pointer, token start, token end) for string values, consuming key tokens too."""
    stack: list[tuple[Any, str]] = [(value, pointer)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            token = next(tokens)
            yield where, token.start(), token.end()
        elif isinstance(node, JsonObject):
            # Keys and values interleave in the file: push in reverse so pops come in order.
            for key, child in reversed(node.pairs):
                stack.append((child, pointer_join(where, key)))
                stack.append((_KEY, ""))
        elif isinstance(node, list):
            for index in range(len(node) - 1, -1, -1):
                stack.append((node[index], pointer_join(where, index)))
        elif node is _KEY:
            next(tokens)


_KEY = object()


def _raw_string(raw_text: str, token_start: int, token_end: int, offset: int) -> RawString:
    """The raw place of the decoded string in token [start, end), quotes excluded."""
    start, end = token_start + 1, token_end - 1
    if raw_text.find("\\", start, end) < 0:
        return RawString(start + offset, end + offset)
    offsets = array("q")
    position = start
    while position < end:
        offsets.append(position + offset)
        if raw_text[position] != "\\":
            position += 1
            continue
        escape = raw_text[position + 1]
        if escape != "u":
            position += 2
            continue
        code = int(raw_text[position + 2 : position + 6], 16)
        position += 6
        is_pair = (
            0xD800 <= code <= 0xDBFF
            and raw_text.startswith("\\u", position)
            and 0xDC00 <= int(raw_text[position + 2 : position + 6], 16) <= 0xDFFF
        )
        if is_pair:
            position += 6
    offsets.append(end + offset)
    return RawString(start + offset, end + offset, offsets)
