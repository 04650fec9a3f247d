"""AssemblyAI reader: utterance words in milliseconds become timed speaker turns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vendor_helpers import FIXTURES, SAMPLES, facts, find, needs_samples, read

from callguard.errors import InputError
from callguard.formats import assemblyai
from callguard.formats.jsonpos import parse

MODULE = assemblyai
OWN_DIRS = {"assemblyai"}

PAYMENT = FIXTURES / "assemblyai" / "prescription-payment.json"
CONVERSATION = (
    "Good morning, Willow Pharmacy refills, how can I help?\n"
    "Morning. I'd like to pay for my prescription with my card.\n"
    "Sure, what's the card number?\n"
    "5555 5555 5555 4444.\n"
)


def test_utterance_words_give_turns_with_times_in_seconds() -> None:
    doc = read(PAYMENT)
    assert doc.format == "assemblyai"
    assert doc.text.startswith(CONVERSATION)
    assert [(t.speaker, t.audio_start, t.audio_end) for t in doc.turns[:4]] == [
        ("A", 0.42, 3.75),
        ("B", 4.39, 8.189),
        ("A", 8.83, 10.63),
        ("B", 11.27, 12.59),
    ]
    word = "/utterances/3/words/{}/text".format
    assert facts(doc, find(doc, "5555 5555 5555 4444.")) == [
        ("5555", word(0), "B", 11.27, 11.57),
        ("5555", word(1), "B", 11.61, 11.91),
        ("5555", word(2), "B", 11.95, 12.25),
        ("4444.", word(3), "B", 12.29, 12.59),
    ]


def test_top_level_words_split_at_speaker_changes_without_utterances() -> None:
    value = json.loads(PAYMENT.read_text("utf-8"))
    del value["utterances"]
    doc = read(PAYMENT, json.dumps(value).encode())
    assert doc.text.startswith(CONVERSATION)
    assert [t.speaker for t in doc.turns[:4]] == ["A", "B", "A", "B"]
    assert find(doc, "4444.")[0].json_pointer == f"/words/{len(value['words']) - 1}/text"


def test_text_and_the_other_word_list_are_mirrors() -> None:
    doc = read(PAYMENT)
    pointers = [find(doc, "5555 5555 5555 4444", nth=n)[0].json_pointer for n in range(1, 4)]
    assert sorted(pointers) == ["/text", "/utterances/3/text", "/words/25/text"]


@needs_samples
def test_real_sample() -> None:
    doc = read(SAMPLES / "assemblyai" / "transcript-example.trimmed.json")
    assert doc.format == "assemblyai"
    assert doc.turns[0].speaker == "A"
    assert doc.text.startswith("Smoke from hundreds of wildfires in Canada")
    assert facts(doc, find(doc, "Smoke")) == [
        ("Smoke", "/utterances/0/words/0/text", "A", 0.25, 0.65)
    ]


@needs_samples
def test_real_redaction_excerpt_is_not_a_transcript() -> None:
    path = SAMPLES / "assemblyai" / "pii-redaction-hash-response.excerpt.json"
    assert read(path).format != "assemblyai"


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
