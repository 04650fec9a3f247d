"""Chat JSON and JSONL: message turns with speakers and times, every other string scanned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from callguard.document import Document
from callguard.errors import InputError
from callguard.formats import FormatOptions, chat, read_documents, read_text
from callguard.model import Location

FIXTURES = Path(__file__).parent.parent / "fixtures" / "formats" / "chat"


def _read(name: str) -> tuple[str, Document]:
    path = FIXTURES / name
    documents = list(read_documents(str(path), path.read_bytes()))
    assert len(documents) == 1
    return path.read_bytes().decode("utf-8"), documents[0]


def _locate(doc: Document, value: str) -> Location:
    start = doc.text.index(value)
    (location,) = doc.locate(start, start + len(value))
    return location


def _raw(raw: str, location: Location) -> str:
    return raw[location.char_offset : location.char_offset + location.char_length]


def test_web_chat_messages_are_turns() -> None:
    raw, doc = _read("web-chat.json")
    assert doc.format == "chat"
    messages = doc.turns[:5]
    assert [(t.speaker, t.audio_start) for t in messages] == [
        ("bot", 0.0),
        ("visitor", 4.5),
        ("agent", 31.25),
        ("visitor", 40.0),
        ("agent", None),  # an ISO date string is not an audio time
    ]
    location = _locate(doc, "5555 5555 5555 4444")
    assert _raw(raw, location) == "5555 5555 5555 4444"
    assert (location.char_offset, location.start_line, location.start_column) == (431, 8, 63)
    assert (location.end_line, location.end_column) == (8, 82)
    assert (location.json_pointer, location.speaker, location.audio_start) == (
        "/messages/3/text",
        "visitor",
        40.0,
    )
    assert "2024-05-01T10:15:02Z" not in doc.text  # message time stamps are not scanned


def test_other_strings_are_scanned_after_the_conversation() -> None:
    raw, doc = _read("web-chat.json")
    location = _locate(doc, "5555555555554444")
    assert _raw(raw, location) == "5555555555554444"
    assert (location.start_line, location.start_column, location.end_column) == (9, 150, 166)
    assert (location.json_pointer, location.speaker) == ("/messages/4/note", None)
    escaped = _locate(doc, "flag é")
    assert _raw(raw, escaped) == "flag \\u00e9"
    assert doc.text.index("wc-20240501-0193") > doc.turns[4].end


def test_nested_conversation_with_author_objects_and_escapes() -> None:
    raw, doc = _read("nested-support.json")
    assert doc.format == "chat"
    assert [(t.speaker, t.audio_start) for t in doc.turns[:3]] == [
        ("Lee", 3.2),
        ("Member 0042", 9.75),
        ("Lee", 15.0),
    ]
    location = _locate(doc, "4111\u00a01111 1111 1111")
    assert _raw(raw, location) == "4111\\u00a01111 1111 1111"
    assert (location.char_offset, location.char_length) == (341, 24)
    assert (location.start_line, location.start_column, location.end_column) == (7, 103, 127)
    assert location.json_pointer == "/conversation/messages/1/body"


def test_jsonl_with_crlf_records() -> None:
    raw, doc = _read("bot-session.jsonl")
    assert doc.format == "jsonl"
    assert [(t.speaker, t.audio_start) for t in doc.turns[:2]] == [
        ("assistant", 12.5),
        ("user", 19.0),
    ]
    location = _locate(doc, "3782 822463 10005")
    assert _raw(raw, location) == "3782 822463 10005"
    assert (location.char_offset, location.start_line, location.start_column) == (171, 2, 68)
    assert (location.end_line, location.end_column) == (2, 85)
    assert (location.json_pointer, location.speaker) == ("/content", "user")
    other = _locate(doc, "3782822463 10005")
    assert _raw(raw, other) == "3782822463 10005"
    assert (other.start_line, other.start_column, other.json_pointer) == (4, 53, "/reason")


def test_jsonl_malformed_line_names_line_and_column_not_text() -> None:
    raw = '{"text": "hello"}\n\n{"text": "4111 1111 1111 1111",}\n'
    with pytest.raises(InputError) as caught:
        chat.read_jsonl("calls/chat.jsonl", raw, FormatOptions())
    message = str(caught.value)
    assert message.startswith("calls/chat.jsonl: malformed JSON Lines record at line 3 column 32")
    assert "4111" not in message


def test_single_record_jsonl_by_extension() -> None:
    doc = next(read_text("one.jsonl", '{"from": "caller", "message": "hi"}\n'))
    assert doc.format == "jsonl"
    assert [(t.speaker, doc.text[t.start : t.end]) for t in doc.turns] == [
        ("caller", "hi"),
        (None, "caller"),  # author names are scanned too: they may be PHI
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param([{"author": "a", "text": "hi"}], True, id="list"),
        pytest.param({"messages": [{"role": "user", "content": "hi"}]}, True, id="messages-key"),
        pytest.param({"Transcript": [{"Content": "hi"}, {"Type": "EVENT"}]}, True, id="half"),
        pytest.param({"chat": {"items": [{"body": "x"}]}}, True, id="nested"),
        pytest.param([1, 2, 3], False, id="numbers"),
        pytest.param([], False, id="empty"),
        pytest.param([{"id": 1, "name": "x"}], False, id="no-text-field"),
        pytest.param([{"text": 5}], False, id="text-not-string"),
        pytest.param([{"text": "a"}, 1, 2, 3], False, id="mostly-not-messages"),
        pytest.param({"data": [{"text": "x"}]}, False, id="unknown-key"),
        pytest.param({"a": {"b": {"messages": [{"text": "x"}]}}}, False, id="too-deep"),
        pytest.param("text", False, id="string"),
    ],
)
def test_matches(value: Any, expected: bool) -> None:
    assert chat.matches(value) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param('{"a": 1}\n{"b": 2}\n', True, id="objects"),
        pytest.param('\ufeff\n  {"a": 1}\r\n{broken', True, id="bom-first-line-ok"),
        pytest.param('{"a": 1,\n"b": 2}', False, id="pretty-json"),
        pytest.param('{"a": }', False, id="malformed-single"),
        pytest.param("Agent: hi\n", False, id="text"),
        pytest.param("", False, id="empty"),
    ],
)
def test_looks_like_jsonl(raw: str, expected: bool) -> None:
    assert chat.looks_like_jsonl(raw) is expected
