"""Whisper-family reader: segments are turns, words map without their leading space."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vendor_helpers import FIXTURES, SAMPLES, facts, find, read

from callguard.errors import InputError
from callguard.formats import whisper
from callguard.formats.jsonpos import parse

MODULE = whisper
OWN_DIRS = {"whisper"}

WORDS = FIXTURES / "whisper" / "dental-billing-word-timestamps.json"
VERBOSE = FIXTURES / "whisper" / "dental-billing-verbose-json.json"


def test_segments_are_turns_and_words_map_without_their_leading_space() -> None:
    doc = read(WORDS)
    assert doc.format == "whisper"
    assert doc.text.startswith(
        "Hello, you've reached Maple Dental billing.\n"
        "I want to pay with card 4111 1111 1111 1111.\n"
        "Perfect, one moment.\n"
    )
    assert [(t.audio_start, t.audio_end) for t in doc.turns[:3]] == [
        (0.0, 4.16),
        (4.8, 10.56),
        (11.0, 13.06),
    ]
    word = "/segments/1/words/{}/word".format
    assert facts(doc, find(doc, "4111 1111 1111 1111.")) == [
        ("4111", word(6), None, 8.28, 8.82),
        ("1111", word(7), None, 8.86, 9.4),
        ("1111", word(8), None, 9.44, 9.98),
        ("1111.", word(9), None, 10.02, 10.56),
    ]


def test_api_top_level_words_are_shared_out_to_segments() -> None:
    doc = read(VERBOSE)
    assert doc.text.startswith(
        "Hello you've reached Maple Dental billing\n"
        "I want to pay with card 4111 1111 1111 1111\n"
        "Perfect one moment\n"
    )
    assert facts(doc, find(doc, "4111")[:1]) == [("4111", "/words/12/word", None, 8.28, 8.82)]
    (mirror,) = find(doc, "4111 1111 1111 1111.", nth=1)
    assert mirror.json_pointer == "/segments/1/text"


def test_segments_without_words_map_to_their_text() -> None:
    value = json.loads(VERBOSE.read_text("utf-8"))
    del value["words"]
    doc = read(VERBOSE, json.dumps(value).encode())
    assert doc.text.startswith("Hello, you've reached Maple Dental billing.\n")
    assert facts(doc, find(doc, "4111 1111 1111 1111")) == [
        ("4111 1111 1111 1111", "/segments/1/text", None, 4.8, 10.6)
    ]


def test_whisperx_words_without_spaces_and_speakers() -> None:
    segments = [
        {
            "start": 0.5,
            "end": 2.1,
            "text": " Card ending 4444.",
            "speaker": "SPEAKER_01",
            "words": [
                {"word": "Card", "start": 0.5, "end": 0.8, "score": 0.9, "speaker": "SPEAKER_01"},
                {"word": "ending", "start": 0.9, "end": 1.3, "score": 0.9, "speaker": "SPEAKER_01"},
                {"word": "4444.", "start": 1.4, "end": 2.1, "score": 0.8, "speaker": "SPEAKER_01"},
            ],
        }
    ]
    data = json.dumps({"segments": segments, "word_segments": []}).encode()
    doc = read(Path("whisperx.json"), data)
    assert doc.format == "whisper"
    assert doc.text.split("\n")[0] == "Card ending 4444."
    assert doc.turns[0].speaker == "SPEAKER_01"


def test_a_bare_faster_whisper_segment_list_is_whisper() -> None:
    segment = {"id": 0, "seek": 0, "start": 0.0, "end": 1.5, "text": " Hi there.", "tokens": []}
    doc = read(Path("faster.json"), json.dumps([segment]).encode())
    assert (doc.format, doc.text) == ("whisper", "Hi there.")


def other_vendor_files() -> list[Path]:
    files = [p for p in FIXTURES.glob("*/*.json") if p.parent.name not in OWN_DIRS]
    if SAMPLES.is_dir():
        files += [p for p in SAMPLES.glob("*/*.json") if p.parent.name not in OWN_DIRS]
    return sorted(path for path in files if is_json(path))


def is_json(path: Path) -> bool:
    try:
        parse(path.read_text("utf-8"))
    except (InputError, UnicodeDecodeError):
        return False
    return True


@pytest.mark.parametrize("path", other_vendor_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_other_vendors_are_not_taken(path: Path) -> None:
    """No other vendor's file (nor another engineer's chat or Slack fixture) matches."""
    assert not MODULE.matches(parse(path.read_text("utf-8")).value)
