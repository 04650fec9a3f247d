"""AWS Transcribe reader: every word maps to its own item, with its speaker and audio time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vendor_helpers import FIXTURES, SAMPLES, facts, find, needs_samples, raw, read

from callguard.errors import InputError
from callguard.formats import transcribe
from callguard.formats.jsonpos import parse

BILL = FIXTURES / "aws-transcribe" / "bill-payment-diarized.json"
CONVERSATION = (
    "Thank you for calling Northwind Utilities, this is Dana. How can I help?\n"
    "Hi, I'd like to pay my gas bill by card.\n"
    "Sure. Go ahead with the card number whenever you're ready.\n"
    "It's 4111 1111 1111 1111.\n"
    "Thank you, and the expiry?\n"
)


def test_diarized_items_become_speaker_turns() -> None:
    doc = read(BILL)
    assert doc.format == "aws-transcribe"
    assert doc.text.startswith(CONVERSATION)
    assert [(t.speaker, t.audio_start, t.audio_end) for t in doc.turns[:5]] == [
        ("spk_0", 0.42, 5.02),
        ("spk_1", 5.66, 8.54),
        ("spk_0", 9.18, 12.85),
        ("spk_1", 13.49, 15.15),
        ("spk_0", 15.79, 17.46),
    ]


def test_card_maps_to_each_item_and_punctuation_to_its_own() -> None:
    doc = read(BILL)
    item = "/results/items/{}/alternatives/0/content".format
    assert facts(doc, find(doc, "4111 1111 1111 1111.")) == [
        ("4111", item(41), "spk_1", 13.83, 14.13),
        ("1111", item(42), "spk_1", 14.17, 14.47),
        ("1111", item(43), "spk_1", 14.51, 14.81),
        ("1111", item(44), "spk_1", 14.85, 15.15),
        (".", item(45), "spk_1", None, None),
    ]
    assert doc.raw_text == BILL.read_text("utf-8")


def test_speaker_segments_label_items_without_speaker() -> None:
    value = json.loads(BILL.read_text("utf-8"))
    for item in value["results"]["items"]:
        item.pop("speaker_label", None)
    doc = read(BILL, json.dumps(value, indent=2).encode())
    assert doc.text.startswith(CONVERSATION)
    assert [t.speaker for t in doc.turns[:5]] == ["spk_0", "spk_1", "spk_0", "spk_1", "spk_0"]


def test_transcript_mirror_is_scanned_after_the_turns() -> None:
    doc = read(BILL)
    mirror = doc.turns[-1]
    assert mirror.speaker is None
    assert doc.text[mirror.start : mirror.end] == CONVERSATION.replace("\n", " ").strip()
    (location,) = find(doc, "4111 1111 1111 1111", nth=1)
    assert location.json_pointer == "/results/transcripts/0/transcript"
    assert raw(doc, location) == "4111 1111 1111 1111"


def test_channel_items_are_interleaved_by_time() -> None:
    doc = read(FIXTURES / "aws-transcribe" / "balance-two-channel.json")
    assert doc.text.startswith(
        "Billing desk, you're speaking with Omar.\nHello, I want to settle my balance.\n"
        "Okay, what card are you using?\nMastercard, 5555 5555 5555 4444.\n"
    )
    assert [t.speaker for t in doc.turns] == ["ch_0", "ch_1", "ch_0", "ch_1", None]
    item = "/results/channel_labels/channels/1/items/{}/alternatives/0/content".format
    assert facts(doc, find(doc, "5555 5555 5555 4444")) == [
        ("5555", item(11), "ch_1", 9.59, 9.89),
        ("5555", item(12), "ch_1", 9.93, 10.23),
        ("5555", item(13), "ch_1", 10.27, 10.57),
        ("4444", item(14), "ch_1", 10.61, 10.91),
    ]


@needs_samples
@pytest.mark.parametrize(
    "name",
    [
        "pii-redaction-batch-redacted.json",
        "pii-redaction-batch-unredacted.json",
        "pii-redaction-streaming-redacted.json",
        "pii-redaction-streaming-pii-identification.json",
        "diarization-batch.json",
        "channel-id-batch.json",
    ],
)
def test_real_samples_are_detected(name: str) -> None:
    assert read(SAMPLES / "aws-transcribe" / name).format == "aws-transcribe"


@needs_samples
def test_unredacted_sample_card_and_name_map_back() -> None:
    doc = read(SAMPLES / "aws-transcribe" / "pii-redaction-batch-unredacted.json")
    # The documentation elides most items: the card number survives only in the transcript.
    (card,) = find(doc, "5555555555555555")
    assert raw(doc, card) == "5555555555555555"
    assert card.json_pointer == "/results/transcripts/0/transcript"
    assert facts(doc, find(doc, "Mike")) == [
        ("Mike", "/results/items/1/alternatives/0/content", None, 5.56, 6.25)
    ]


@needs_samples
def test_streaming_sample_words_map_to_items() -> None:
    doc = read(SAMPLES / "aws-transcribe" / "pii-redaction-streaming-pii-identification.json")
    assert doc.text.split("\n")[0] == "my name is mike"
    pointer = "/TranscriptResultStream/TranscriptEvent/Transcript/Results/0/Alternatives/0"
    assert facts(doc, find(doc, "mike")) == [
        ("mike", f"{pointer}/Items/3/Content", None, 0.7999375, 0.9199375)
    ]
    entity = find(doc, "mike", nth=2)
    assert [loc.json_pointer for loc in entity] == [f"{pointer}/Entities/0/Content"]


@needs_samples
@pytest.mark.parametrize(
    ("name", "speakers"),
    [("diarization-batch.json", ["spk_0", "spk_1"]), ("channel-id-batch.json", ["ch_0", "ch_1"])],
)
def test_real_sample_speakers(name: str, speakers: list[str]) -> None:
    doc = read(SAMPLES / "aws-transcribe" / name)
    assert doc.text.startswith("I've been on hold for an hour.\nSorry about that.\n")
    assert [t.speaker for t in doc.turns[:2]] == speakers


def other_vendor_files() -> list[Path]:
    files = [p for p in FIXTURES.glob("*/*.json") if p.parent.name != "aws-transcribe"]
    if SAMPLES.is_dir():
        files += [p for p in SAMPLES.glob("*/*.json") if p.parent.name != "aws-transcribe"]
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
    assert not transcribe.matches(parse(path.read_text("utf-8")).value)
