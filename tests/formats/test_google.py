"""Google Speech-to-Text and CCAI Insights reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vendor_helpers import FIXTURES, SAMPLES, facts, find, needs_samples, read

from callguard.errors import InputError
from callguard.formats import google
from callguard.formats.jsonpos import parse

MODULE = google
OWN_DIRS = {"google", "google-ccai-insights"}

STT = FIXTURES / "google" / "stolen-card-diarized-v1.json"
CCAI = FIXTURES / "google" / "ccai-chat-upload.json"
CONVERSATION = (
    "thank you for calling Summit Bank how can I help\n"
    "I need to report my Discover card 6011 1111 1111 1117 stolen\n"
    "I'm sorry to hear that let me freeze it right away\n"
)


def test_diarized_v1_reads_the_labelled_last_result() -> None:
    doc = read(STT)
    assert doc.format == "google-stt"
    assert doc.text.startswith(CONVERSATION)
    assert [(t.speaker, t.audio_start, t.audio_end) for t in doc.turns[:3]] == [
        ("1", 0.42, 3.74),
        ("2", 4.28, 8.36),
        ("1", 8.9, 12.42),
    ]
    word = "/results/3/alternatives/0/words/{}/word".format
    assert facts(doc, find(doc, "6011 1111 1111 1117")) == [
        ("6011", word(17), "2", 6.61, 6.91),
        ("1111", word(18), "2", 6.95, 7.25),
        ("1111", word(19), "2", 7.29, 7.59),
        ("1117", word(20), "2", 7.63, 7.93),
    ]
    assert find(doc, "6011", nth=1)[0].json_pointer == "/results/1/alternatives/0/transcript"


def test_v2_offsets_and_channel_tags() -> None:
    words = [
        {"startOffset": "1.200s", "endOffset": "1.600s", "word": "card"},
        {"startOffset": "1.600s", "endOffset": "2.100s", "word": "4111"},
    ]
    body = {
        "results": [
            {"alternatives": [{"transcript": "card 4111", "words": words}], "channelTag": 2}
        ]
    }
    doc = read(Path("v2.json"), json.dumps({"response": body}).encode())
    assert doc.format == "google-stt"
    assert facts(doc, find(doc, "4111")[:1]) == [
        ("4111", "/response/results/0/alternatives/0/words/1/word", "ch_2", 1.6, 2.1)
    ]


def test_results_without_words_use_the_transcript() -> None:
    result = {"alternatives": [{"transcript": "my card is 4111"}], "resultEndTime": "3.5s"}
    doc = read(Path("plain.json"), json.dumps({"results": [result]}).encode())
    assert doc.text == "my card is 4111"
    assert (doc.turns[0].audio_start, doc.turns[0].audio_end) == (None, 3.5)


def test_ccai_entries_are_turns_with_roles() -> None:
    doc = read(CCAI)
    assert google.format_name(parse(CCAI.read_text("utf-8")).value) == "ccai-insights"
    assert doc.format in {google.FORMAT_NAME, "ccai-insights"}
    assert doc.text == (
        "Hi, can I update the card on my subscription?\n"
        "Sure thing, what's the new card?\n"
        "3782 822463 10005"
    )
    assert [t.speaker for t in doc.turns] == ["CUSTOMER", "AGENT", "CUSTOMER"]
    # Chat uploads carry epoch times, which are not positions in a recording.
    assert facts(doc, find(doc, "3782 822463 10005")) == [
        ("3782 822463 10005", "/entries/2/text", "CUSTOMER", None, None)
    ]


@needs_samples
def test_real_ccai_sample() -> None:
    path = SAMPLES / "google-ccai-insights" / "conversation-data-format.example.json"
    doc = read(path)
    assert doc.format in {google.FORMAT_NAME, "ccai-insights"}
    assert doc.text == "Hello, I'm calling in regards to ...\nYes, I can answer your question ..."
    assert [(t.speaker, t.audio_start) for t in doc.turns] == [("CUSTOMER", 1.0), ("AGENT", 5.0)]


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
