"""WebVTT: one timed turn per cue, voice speakers, markup out of the text, exact raw map."""

from __future__ import annotations

from pathlib import Path

import pytest

from callguard.document import Document
from callguard.formats import FormatOptions, read_documents, webvtt

FIXTURE = Path(__file__).parent.parent / "fixtures" / "formats" / "webvtt" / "renewal-call.vtt"


def _read(raw: str) -> Document:
    return webvtt.read("call.vtt", raw, FormatOptions())


def _raw_pieces(doc: Document, value: str) -> list[str]:
    start = doc.text.index(value)
    return [
        doc.raw_text[loc.char_offset : loc.char_offset + loc.char_length]
        for loc in doc.locate(start, start + len(value))
    ]


def test_fixture_turns_speakers_and_times() -> None:
    doc = next(read_documents(str(FIXTURE), FIXTURE.read_bytes()))
    assert doc.format == "webvtt"
    cues = [t for t in doc.turns if t.audio_start is not None]
    assert [(t.speaker, t.audio_start, t.audio_end) for t in cues] == [
        ("Agent", 1.2, 4.8),
        ("Customer", 5.1, 9.35),
        ("Agent", 10.0, 13.5),
        ("Customer", 14.02, 21.9),
        ("Agent", 62.0, 64.25),
    ]
    assert doc.text[cues[2].start : cues[2].end] == (
        "Agent: I can do that. Can you read me the long number on the front of the card?"
    )
    assert "color" not in doc.text
    assert "cue-4" not in doc.text
    assert "-->" not in doc.text
    assert "exported by the recorder" in doc.text  # NOTE text is scanned, speakerless


def test_fixture_card_location() -> None:
    raw = FIXTURE.read_text(encoding="utf-8")
    doc = _read(raw)
    start = doc.text.index("3782 822463 10005")
    (location,) = doc.locate(start, start + 17)
    assert raw[location.char_offset : location.char_offset + location.char_length] == (
        "3782 822463 10005"
    )
    assert (location.char_offset, location.start_line, location.start_column) == (524, 23, 24)
    assert (location.end_line, location.end_column) == (23, 41)
    assert (location.speaker, location.audio_start, location.audio_end) == ("Customer", 14.02, 21.9)


def test_entity_maps_to_whole_raw_entity() -> None:
    doc = _read(FIXTURE.read_text(encoding="utf-8"))
    assert "Thanks & that" in doc.text
    assert _raw_pieces(doc, "&") == ["&amp;"]
    assert _raw_pieces(doc, "Thanks & that") == ["Thanks ", "&amp;", " that"]


def test_voice_name_is_text_at_its_raw_place() -> None:
    raw = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v.loud Maria Lopez>Hi</v>\n"
    doc = _read(raw)
    assert doc.text == "Maria Lopez: Hi"
    (location,) = doc.locate(0, 11)
    assert (location.char_offset, location.start_line, location.start_column) == (40, 4, 9)
    assert doc.turns[0].speaker == "Maria Lopez"


def test_card_broken_by_tags_and_lines_reads_whole() -> None:
    raw = (
        "\ufeffWEBVTT\r\n\r\n01:02:03.500 --> 01:02:09.000\r\n"
        "<v Caller>It's 4111 <b>1111</b>\r\n<c.digits>1111</c> 1111</v>\r\n"
    )
    doc = _read(raw)
    assert doc.text == "Caller: It's 4111 1111 1111 1111"
    assert _raw_pieces(doc, "4111 1111 1111 1111") == ["4111 ", "1111", "1111", " 1111"]
    start = doc.text.index("4111")
    locations = doc.locate(start, start + 19)
    assert [(loc.start_line, loc.start_column) for loc in locations] == [
        (4, 16),
        (4, 24),
        (5, 11),
        (5, 19),
    ]
    assert locations[0].char_offset == raw.index("4111")
    assert {(loc.audio_start, loc.audio_end) for loc in locations} == {(3723.5, 3729.0)}


def test_several_voices_in_one_cue_are_separate_turns() -> None:
    raw = "WEBVTT\n\n00:05.000 --> 00:07.000\n<v Agent>Card number?</v>\n- <v Caller>Sure.</v>\n"
    doc = _read(raw)
    assert [(t.speaker, doc.text[t.start : t.end]) for t in doc.turns] == [
        ("Agent", "Agent: Card number?"),
        ("Caller", "Caller: Sure."),
    ]


def test_style_region_and_identifiers_are_skipped() -> None:
    raw = (
        "WEBVTT\n\nREGION\nid:fred width:40%\n\nSTYLE\n::cue { color: red }\n\n"
        "intro-1\n00:00.000 --> 00:01.000 line:0\nHello\n"
    )
    doc = _read(raw)
    assert doc.text == "Hello"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("WEBVTT\n\n", True, id="bare"),
        pytest.param("\ufeffWEBVTT - call 9\r\n", True, id="bom-title"),
        pytest.param("WEBVTT", True, id="only-header"),
        pytest.param("WEBVTTX\n", False, id="longer-word"),
        pytest.param(" WEBVTT\n", False, id="indented"),
        pytest.param("Agent: WEBVTT\n", False, id="later"),
    ],
)
def test_looks_like(raw: str, expected: bool) -> None:
    assert webvtt.looks_like(raw) is expected


def test_header_without_blank_line_and_lookalike_block_names() -> None:
    raw = (
        "WEBVTT\n00:00.000 --> 00:01.000\nHello\n\n"
        "STYLES are not a block\n00:02.000 --> 00:03.000\nAgent: bye\n\n"
        "NOTE\nagent keyed 4111 1111 1111 1111\n"
    )
    doc = _read(raw)
    assert [(t.speaker, t.audio_start, doc.text[t.start : t.end]) for t in doc.turns] == [
        (None, 0.0, "Hello"),
        ("Agent", 2.0, "Agent: bye"),
        (None, None, "agent keyed 4111 1111 1111 1111"),
    ]
