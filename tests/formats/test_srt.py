"""SRT: one timed turn per cue, speakers from "NAME:" and "- ", exact raw map with CRLF."""

from __future__ import annotations

from pathlib import Path

import pytest

from callguard.document import Document
from callguard.formats import FormatOptions, read_documents, srt

FIXTURE = Path(__file__).parent.parent / "fixtures" / "formats" / "srt" / "pharmacy-refill.srt"


def _read(raw: str) -> Document:
    return srt.read("call.srt", raw, FormatOptions())


def test_fixture_turns_and_card_location() -> None:
    raw = FIXTURE.read_bytes().decode("utf-8")
    doc = next(read_documents(str(FIXTURE), FIXTURE.read_bytes()))
    assert doc.format == "srt"
    assert [(t.speaker, t.audio_start, t.audio_end) for t in doc.turns] == [
        ("AGENT", 0.5, 3.9),
        ("CALLER", 4.2, 8.0),
        ("AGENT", 8.4, 13.65),
        ("CALLER", 14.0, 19.25),
        (None, 20.0, 22.5),
        (None, 20.0, 22.5),
    ]
    assert [doc.text[t.start : t.end] for t in doc.turns][-2:] == ["Got it, thank you.", "Great."]
    start = doc.text.index("4111 1111 1111 1111")
    (location,) = doc.locate(start, start + 19)
    assert raw[location.char_offset : location.char_offset + location.char_length] == (
        "4111 1111 1111 1111"
    )
    assert (location.char_offset, location.char_length) == (305, 19)
    assert (location.start_line, location.start_column, location.end_column) == (15, 15, 34)
    assert (location.speaker, location.audio_start, location.audio_end) == ("CALLER", 14.0, 19.25)
    assert "-->" not in doc.text
    assert "\n4\n" not in doc.text


def test_multi_line_cue_joins_with_space_and_maps_each_line() -> None:
    raw = "1\n00:00:01,000 --> 00:00:04,000\nCaller: it's 5555 5555\n5555 4444\n"
    doc = _read(raw)
    assert doc.text == "Caller: it's 5555 5555 5555 4444"
    start = doc.text.index("5555")
    pieces = [
        (loc.char_offset, loc.char_length, loc.start_line, loc.start_column)
        for loc in doc.locate(start, start + 19)
    ]
    assert pieces == [(45, 9, 3, 14), (55, 9, 4, 1)]
    assert doc.turns[0].speaker == "Caller"


def test_cues_without_blank_line_and_stray_text() -> None:
    raw = (
        "1\n00:00:01,000 --> 00:00:02,000\nAgent: card?\n"
        "2\n00:00:02,500 --> 00:00:03,000\nCustomer: 4111 1111 1111 1111\n\n"
        "written by hand 3782 822463 10005\n"
    )
    doc = _read(raw)
    assert [(t.speaker, t.audio_start, doc.text[t.start : t.end]) for t in doc.turns] == [
        ("Agent", 1.0, "Agent: card?"),
        ("Customer", 2.5, "Customer: 4111 1111 1111 1111"),
        (None, None, "written by hand 3782 822463 10005"),
    ]


def test_tags_are_not_text() -> None:
    raw = '1\n00:00:01,000 --> 00:00:04,000\n<font color="#ff0">4111</font> 1111 1111 1111\n'
    doc = _read(raw)
    assert doc.text == "4111 1111 1111 1111"
    assert [loc.start_column for loc in doc.locate(0, 19)] == [20, 31]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("1\n00:00:01,000 --> 00:00:02,000\nhi\n", True, id="plain"),
        pytest.param("\ufeff\r\n\r\n1\r\n00:00:01,000 --> 00:00:02,000\r\n", True, id="bom-crlf"),
        pytest.param("00:00:01.000 --> 00:00:02.000\nhi\n", True, id="no-index-dots"),
        pytest.param("1\nhello\n2\nworld\n", False, id="numbered-list"),
        pytest.param("2024-05-01 10:02:13 --> state change\n", False, id="log-arrow"),
        pytest.param("10:02:13 Agent: hi\n", False, id="chat-log"),
        pytest.param("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", False, id="webvtt"),
    ],
)
def test_looks_like(raw: str, expected: bool) -> None:
    assert srt.looks_like(raw) is expected
