"""Deepgram reader: pre-recorded utterances/channels and streaming messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vendor_helpers import FIXTURES, SAMPLES, facts, find, needs_samples, read

from callguard.errors import InputError
from callguard.formats import deepgram
from callguard.formats.jsonpos import parse

MODULE = deepgram
OWN_DIRS = {"deepgram"}

UTTERANCES = FIXTURES / "deepgram" / "premium-diarized-utterances.json"
TWO_CHANNEL = FIXTURES / "deepgram" / "premium-two-channel.json"
CONVERSATION = (
    "Thanks for holding, you're through to Cedar Insurance.\n"
    "Hi, I want to pay my premium by Visa.\n"
    "Great, go ahead with the number.\n"
    "4111 1111 1111 1111.\n"
    "Got it, thanks.\n"
)


def test_utterances_give_turns_and_words_map_to_punctuated_word() -> None:
    doc = read(UTTERANCES)
    assert doc.format == "deepgram"
    assert doc.text.startswith(CONVERSATION)
    assert [(t.speaker, t.audio_start, t.audio_end) for t in doc.turns[:5]] == [
        ("0", 0.42, 3.67),
        ("1", 4.41, 7.02),
        ("0", 7.76, 9.8),
        ("1", 10.54, 11.86),
        ("0", 12.6, 13.54),
    ]
    word = "/results/utterances/3/words/{}/punctuated_word".format
    assert facts(doc, find(doc, "4111 1111 1111 1111.")) == [
        ("4111", word(0), "1", 10.54, 10.84),
        ("1111", word(1), "1", 10.88, 11.18),
        ("1111", word(2), "1", 11.22, 11.52),
        ("1111.", word(3), "1", 11.56, 11.86),
    ]


def test_every_copy_of_the_words_is_scanned_as_a_mirror() -> None:
    doc = read(UTTERANCES)
    pointers = {find(doc, "4111 1111 1111", nth=nth)[0].json_pointer for nth in range(6)}
    assert pointers == {
        "/results/utterances/3/words/0/punctuated_word",
        "/results/utterances/3/words/0/word",
        "/results/utterances/3/transcript",
        "/results/channels/0/alternatives/0/transcript",
        "/results/channels/0/alternatives/0/words/23/punctuated_word",
        "/results/channels/0/alternatives/0/words/23/word",
    }
    assert all(t.speaker is None for t in doc.turns[5:])


def test_channels_without_utterances_interleave_by_time() -> None:
    doc = read(TWO_CHANNEL)
    assert doc.text.startswith(CONVERSATION)
    assert [t.speaker for t in doc.turns[:5]] == ["ch_0", "ch_1", "ch_0", "ch_1", "ch_0"]
    (first,) = find(doc, "4111")[:1]
    assert facts(doc, [first]) == [
        ("4111", "/results/channels/1/alternatives/0/words/9/punctuated_word", "ch_1", 10.54, 10.84)
    ]


def test_word_is_used_when_punctuated_word_is_missing() -> None:
    value = json.loads(TWO_CHANNEL.read_text("utf-8"))
    for channel in value["results"]["channels"]:
        for item in channel["alternatives"][0]["words"]:
            del item["punctuated_word"]
    doc = read(TWO_CHANNEL, json.dumps(value).encode())
    assert doc.text.startswith("thanks for holding you're through to cedar insurance\n")
    assert find(doc, "4111")[0].json_pointer == "/results/channels/1/alternatives/0/words/9/word"


@needs_samples
def test_real_prerecorded_sample() -> None:
    doc = read(SAMPLES / "deepgram" / "prerecorded-nova3-smartformat.response.json")
    assert doc.format == "deepgram"
    assert doc.text.split("\n")[0] == (
        "Yep. I said it before, and I'll say it again. Life moves pretty fast. You don't stop "
        "and look around once in a while, you could miss it."
    )
    assert facts(doc, find(doc, "Yep.")) == [
        (
            "Yep.",
            "/results/channels/0/alternatives/0/words/0/punctuated_word",
            None,
            5.52,
            6.2400002,
        )
    ]


@needs_samples
def test_real_streaming_sample() -> None:
    doc = read(SAMPLES / "deepgram" / "streaming-mulaw8k.response.json")
    assert doc.format == "deepgram"
    assert doc.text.split("\n")[0] == "For the United States of America."
    assert (doc.turns[0].audio_start, doc.turns[0].audio_end) == (17.56, 18.66)
    assert facts(doc, find(doc, "America.")) == [
        ("America.", "/channel/alternatives/0/words/5/punctuated_word", None, 18.2, 18.66)
    ]


@needs_samples
@pytest.mark.parametrize(
    "name",
    [
        "redaction-examples.json",
        "prerecorded-nova3-smartformat.options.json",
        "streaming-mulaw8k.options.json",
    ],
)
def test_real_non_transcript_files_are_not_deepgram(name: str) -> None:
    assert read(SAMPLES / "deepgram" / name).format != "deepgram"


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
