"""PCI002 in the transcript formats the other spoken-number tests do not cover: Whisper,
AssemblyAI (ms timings, split over utterances) and Call Analytics (split over turns).

Expected digits are recomputed here from the raw words each location points at, with a word
table of the test's own, and must form the card number that was said.
"""

from __future__ import annotations

import json
import re

import pytest

from callguard import Finding, Scanner

WORDS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip


def said_digits(raw: str, finding: Finding) -> str:
    """The digits the located raw text says, word by word."""
    pieces = [raw[loc.char_offset : loc.char_offset + loc.char_length] for loc in finding.locations]
    words = re.findall(r"[a-z]+|\d", " ".join(pieces).lower())
    return "".join(WORDS.get(word, word) for word in words if word in WORDS or word.isdigit())


def spoken(number: str) -> str:
    names = {digit: word for word, digit in WORDS.items() if word != "oh"}
    groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    return ", ".join(" ".join(names[d] for d in group) for group in groups)


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(profile="pci")


def test_whisper_segment_with_a_spoken_card(scanner: Scanner) -> None:
    said = spoken("5555555555554444")
    data = {
        "text": f" Can I take the card number? Sure, it's {said}.",
        "language": "en",
        "segments": [
            {"id": 0, "start": 0.0, "end": 2.4, "text": " Can I take the card number?"},
            {"id": 1, "start": 2.9, "end": 9.6, "text": f" Sure, it's {said}."},
        ],
    }
    raw = json.dumps(data, indent=2)
    (finding,) = [
        f for f in scanner.scan_bytes(raw.encode(), path="call.json") if f.rule_id == "PCI002"
    ]
    assert said_digits(raw, finding) == "5555555555554444"
    assert {loc.json_pointer for loc in finding.locations} == {"/segments/1/text"}
    assert {(loc.audio_start, loc.audio_end) for loc in finding.locations} == {(2.9, 9.6)}


def _assemblyai(utterances: list[tuple[str, int, int, str]]) -> str:
    entries = []
    for speaker, start, end, text in utterances:
        tokens = text.split(" ")
        step = (end - start) // len(tokens)
        words = [
            {"text": token, "start": start + i * step, "end": start + (i + 1) * step,
             "confidence": 0.95, "speaker": speaker}
            for i, token in enumerate(tokens)
        ]  # fmt: skip
        entries.append(
            {"speaker": speaker, "start": start, "end": end, "text": text, "confidence": 0.95,
             "words": words}
        )  # fmt: skip
    transcript = {
        "id": "5551b8c2", "status": "completed", "audio_duration": 30,
        "text": " ".join(u[3] for u in utterances), "utterances": entries,
        "words": [w for e in entries for w in e["words"]],
    }  # fmt: skip
    return json.dumps(transcript, indent=2)


def test_assemblyai_card_split_over_two_utterances_of_one_speaker(scanner: Scanner) -> None:
    raw = _assemblyai(
        [
            ("A", 1000, 3000, "What's the long number on the card?"),
            ("B", 3500, 7000, "four one one one, one one one one,"),
            ("A", 7200, 7800, "Mm-hmm."),
            ("B", 8000, 11600, "one one one one, one one one one."),
        ]
    )
    (finding,) = [
        f for f in scanner.scan_bytes(raw.encode(), path="aai.json") if f.rule_id == "PCI002"
    ]
    assert said_digits(raw, finding) == "4111111111111111"
    assert {loc.speaker for loc in finding.locations} == {"B"}
    assert all((loc.json_pointer or "").startswith("/utterances/") for loc in finding.locations)
    assert min(loc.audio_start or 99 for loc in finding.locations) == pytest.approx(3.5)
    assert max(loc.audio_end or 0 for loc in finding.locations) <= 11.6


def test_call_analytics_card_split_over_customer_turns(scanner: Scanner) -> None:
    turns = [
        ("AGENT", 0, 2500, "Can I get the card number, please?"),
        ("CUSTOMER", 2900, 5600, "Yeah, six oh one one, one one one one,"),
        ("AGENT", 5800, 6300, "Go on."),
        ("CUSTOMER", 6500, 9900, "one one one one, one one one seven."),
    ]
    data = {
        "JobStatus": "COMPLETED",
        "LanguageCode": "en-US",
        "Participants": [{"ParticipantRole": "AGENT"}, {"ParticipantRole": "CUSTOMER"}],
        "Transcript": [
            {"Id": f"t{i}", "ParticipantRole": role, "BeginOffsetMillis": begin,
             "EndOffsetMillis": end, "Content": content, "Sentiment": "NEUTRAL"}
            for i, (role, begin, end, content) in enumerate(turns)
        ],
    }  # fmt: skip
    raw = json.dumps(data, indent=2)
    (finding,) = [
        f for f in scanner.scan_bytes(raw.encode(), path="ca.json") if f.rule_id == "PCI002"
    ]
    assert said_digits(raw, finding) == "6011111111111117"
    assert {loc.json_pointer for loc in finding.locations} == {
        "/Transcript/1/Content",
        "/Transcript/3/Content",
    }
    assert {loc.speaker for loc in finding.locations} == {"CUSTOMER"}


def test_pieces_of_different_speakers_are_not_joined_in_the_conversation(
    scanner: Scanner,
) -> None:
    """The utterances never join two speakers' digits. (The vendor's one-string `text` copy
    does hold all sixteen digits in a row, and that stored string is reported as such.)"""
    raw = _assemblyai(
        [
            ("B", 3500, 7000, "four one one one, one one one one,"),
            ("A", 8000, 11600, "one one one one, one one one one."),
        ]
    )
    findings = [
        f for f in scanner.scan_bytes(raw.encode(), path="aai.json") if f.rule_id == "PCI002"
    ]
    pointers = {loc.json_pointer or "" for f in findings for loc in f.locations}
    assert not any(pointer.startswith("/utterances/") for pointer in pointers)
