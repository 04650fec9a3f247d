"""Content-based format detection, and the raw text every format's offsets count in."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from callguard.errors import InputError
from callguard.formats import BinaryInput, is_plain_text, read_documents, read_text

VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Caller>4111 1111 1111 1111\n"
SRT = b"1\n00:00:01,000 --> 00:00:03,000\nCaller: 4111 1111 1111 1111\n"
JSONL = b'{"speaker": "agent", "text": "card?"}\n{"speaker": "caller", "text": "4111 1111"}\n'
CHAT = b'{"messages": [{"author": "caller", "text": "4111 1111 1111 1111"}]}'


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        pytest.param("call.txt", VTT, "webvtt", id="txt-that-is-webvtt"),
        pytest.param("call.txt", SRT, "srt", id="txt-that-is-srt"),
        pytest.param("chat.log", JSONL, "jsonl", id="log-holding-jsonl"),
        pytest.param("export.json.gz", gzip.compress(CHAT), "chat", id="json-gz"),
        pytest.param("blob.bin.gz", gzip.compress(VTT), "webvtt", id="gz-any-name"),
        pytest.param("notes.json.txt", CHAT, "chat", id="json-by-content"),
        pytest.param("call.vtt", b"Agent: hi\nCaller: hello\n", "text", id="text-named-vtt"),
        pytest.param(
            "call.txt", b"[[cg1:AbC-9]] Agent: hi\n", "text", id="text-opening-with-a-token"
        ),
        pytest.param("matrix.txt", b"[[1, 2], [3, 4]]", "json", id="json-array-of-arrays"),
    ],
)
def test_detected_from_content(name: str, data: bytes, expected: str) -> None:
    (doc,) = read_documents(name, data)
    assert doc.format == expected


def test_malformed_json_names_line_and_column() -> None:
    data = b'{\n  "messages": [\n    {"text": "4111 1111 1111 1111",}\n  ]\n}\n'
    with pytest.raises(InputError) as caught:
        list(read_documents("chats/a.json", data))
    message = str(caught.value)
    assert message.startswith("chats/a.json: malformed JSON at line 3 column 36")
    assert "4111" not in message


def test_malformed_jsonl_line_names_the_line() -> None:
    data = b'{"text": "hi"}\n{"text": "4111 1111 1111 1111"\n'
    with pytest.raises(InputError, match=r"^chats/a\.log: malformed JSON Lines record at line 2"):
        list(read_documents("chats/a.log", data))


def test_binary_input() -> None:
    with pytest.raises(BinaryInput):
        list(read_documents("recording.wav", b"RIFF\x24\x08\x00\x00WAVEfmt \x10\x00"))
    with pytest.raises(BinaryInput):
        list(read_documents("recording.wav.gz", gzip.compress(b"\x00\x01\x02")))


def test_invalid_utf8_is_one_char_per_byte_and_later_offsets_hold() -> None:
    data = b"Agent: caf\xe9 \xff\xfe ok\nCaller: 4111 1111 1111 1111\n"
    (doc,) = read_documents("call.txt", data)
    start = doc.text.index("4111")
    (location,) = doc.locate(start, start + 19)
    assert location.char_offset == 26  # three bad bytes, three characters
    assert (location.start_line, location.start_column, location.end_column) == (2, 9, 28)
    assert [t.speaker for t in doc.turns] == ["Agent", "Caller"]


def test_invalid_utf8_in_webvtt_keeps_offsets() -> None:
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Caller>\xc3\x28 4111 1111 1111 1111\n"
    (doc,) = read_documents("call.vtt", data)
    start = doc.text.index("4111")
    (location,) = doc.locate(start, start + 19)
    assert doc.raw_text[location.char_offset : location.char_offset + 19] == "4111 1111 1111 1111"
    assert (location.char_offset, location.start_line, location.start_column) == (45, 4, 14)


@pytest.mark.parametrize(
    ("data", "offset", "line", "column"),
    [
        pytest.param(b"\xef\xbb\xbfAgent: 4111 1111 1111 1111\r\n", 8, 1, 9, id="text-bom"),
        pytest.param(b"Agent: hi\r\nCaller: 4111 1111 1111 1111\r\n", 19, 2, 9, id="text-crlf"),
        pytest.param(b"\xef\xbb\xbf" + SRT.replace(b"\n", b"\r\n"), 43, 3, 9, id="srt-bom-crlf"),
        pytest.param(
            b'\xef\xbb\xbf{"messages": [{"text": "x"},\r\n {"text": "4111 1111 1111 1111"}]}',
            42,
            2,
            12,
            id="json-bom-crlf",
        ),
    ],
)
def test_bom_and_crlf_count_in_offsets(data: bytes, offset: int, line: int, column: int) -> None:
    (doc,) = read_documents("input", data)
    start = doc.text.index("4111")
    (location,) = doc.locate(start, start + 19)
    assert (location.char_offset, location.start_line, location.start_column) == (
        offset,
        line,
        column,
    )
    assert data.decode("utf-8")[offset : offset + 19] == "4111 1111 1111 1111"


def _fixture_heads() -> list[tuple[str, str]]:
    heads = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.suffix != ".gz":
            text = path.read_bytes().decode("utf-8", "surrogateescape")
            heads += [(path.name, text), (path.name, text[:200]), ("renamed.txt", text[:500])]
    return heads


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HEADS = [
    ("call.txt", VTT.decode()),
    ("call.txt", SRT.decode()),
    ("chat.log", JSONL.decode()),
    ("notes.txt", CHAT.decode()),
    ("notes.txt", CHAT.decode()[:20]),  # a head cut inside JSON: read_text fails on it
    ("call.txt", "[[cg1:AbC-9]] Agent: hi\n"),
    ("call.txt", "[CREDIT_CARD] Agent: hi\n"),
    ("call.json", "Agent: hi\n"),
    ("app.ini", "[server]\nssl = off\n"),
    ("call.txt", "Agent: hi\nCustomer: my card is 4111 1111 1111 1111\n"),
]


@pytest.mark.parametrize(("name", "text"), HEADS + _fixture_heads())
def test_plain_text_is_told_as_reading_would_tell_it(name: str, text: str) -> None:
    """`is_plain_text` decides what the redaction read-back used to read the head for."""
    try:
        read = next(read_text(name, text), None)
    except InputError:
        read = None
    assert is_plain_text(name, text) == (read is not None and read.format == "text")
