"""Call Analytics / Contact Lens reader: one turn per transcript entry, mapped to Content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vendor_helpers import FIXTURES, SAMPLES, facts, find, needs_samples, raw, read

from callguard.errors import InputError
from callguard.formats import contact_lens
from callguard.formats.jsonpos import parse

MODULE = contact_lens
OWN_DIRS = {"aws-contact-lens"}

CALL = FIXTURES / "aws-contact-lens" / "travel-deposit-call-analytics.json"
CHAT = FIXTURES / "aws-contact-lens" / "reorder-chat.json"


def test_call_analytics_turns_carry_role_and_offsets() -> None:
    doc = read(CALL)
    assert doc.format == "aws-call-analytics"
    assert doc.text == (
        "Good afternoon, Harbor Travel, Priya speaking.\n"
        "Hi Priya, I need to put the hotel deposit on my American Express.\n"
        "Of course, read me the number please.\n"
        "It's 3782 822463 10005, expiring in March.\n"
        "Thanks, that's gone through."
    )
    assert [(t.speaker, t.audio_start, t.audio_end) for t in doc.turns] == [
        ("AGENT", 0.0, 3.9),
        ("CUSTOMER", 4.3, 9.1),
        ("AGENT", 9.5, 11.2),
        ("CUSTOMER", 11.8, 19.75),
        ("AGENT", 20.1, 22.4),
    ]
    assert facts(doc, find(doc, "3782 822463 10005")) == [
        ("3782 822463 10005", "/Transcript/3/Content", "CUSTOMER", 11.8, 19.75)
    ]


def test_chat_messages_map_through_json_escapes() -> None:
    doc = read(CHAT)
    value = parse(CHAT.read_text("utf-8")).value
    assert contact_lens.format_name(value) == "contact-lens-chat"
    assert doc.text.startswith(
        "Hi Sam, this is Lee from Blue Kettle. What can I do for you today?\n"
        "My order didn\u2019t ship. I\u2019d like to pay again with my Discover card.\n"
        "No problem, please type the card number.\n"
        "6011 1111 1111 1117\n"
    )
    assert [t.speaker for t in doc.turns[:4]] == ["AGENT", "CUSTOMER", "AGENT", "CUSTOMER"]
    assert all(t.audio_start is None for t in doc.turns)
    assert facts(doc, find(doc, "6011 1111 1111 1117")) == [
        ("6011 1111 1111 1117", "/Transcript/4/Content", "CUSTOMER", None, None)
    ]
    (quote,) = find(doc, "didn\u2019t")
    assert raw(doc, quote) == "didn\\u2019t"


def test_voice_speaker_comes_from_participants_list() -> None:
    value = json.loads(CALL.read_text("utf-8"))
    value["Participants"] = [
        {"ParticipantId": "A", "ParticipantRole": "AGENT"},
        {"ParticipantId": "C", "ParticipantRole": "CUSTOMER"},
    ]
    for entry in value["Transcript"]:
        entry["ParticipantId"] = entry.pop("ParticipantRole")[0]
    doc = read(CALL, json.dumps(value).encode())
    assert [t.speaker for t in doc.turns] == ["AGENT", "CUSTOMER", "AGENT", "CUSTOMER", "AGENT"]


@needs_samples
@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("call-analysis-original.json", "aws-call-analytics"),
        ("call-analysis-redacted.json", "aws-call-analytics"),
        ("chat-analysis-original.json", "contact-lens-chat"),
        ("chat-analysis-redacted.json", "contact-lens-chat"),
    ],
)
def test_real_samples_are_detected(name: str, shape: str) -> None:
    path = SAMPLES / "aws-contact-lens" / name
    assert contact_lens.format_name(parse(path.read_text("utf-8")).value) == shape
    assert read(path).format in {contact_lens.FORMAT_NAME, shape}


@needs_samples
def test_real_voice_sample_names_map_to_turns() -> None:
    doc = read(SAMPLES / "aws-contact-lens" / "call-analysis-original.json")
    assert doc.text.startswith("Okay.\nJust hello. My name is Peter and help.\n")
    assert [t.speaker for t in doc.turns[:3]] == ["AGENT", "CUSTOMER", "AGENT"]
    (peter,) = find(doc, "Peter")
    assert (raw(doc, peter), peter.json_pointer, peter.audio_start, peter.audio_end) == (
        "Peter",
        "/Transcript/1/Content",
        0.16,
        4.64,
    )
    # Issue texts repeat the turn: scanned as a mirror at the end.
    (issue,) = find(doc, "I need to cancel", nth=1)
    assert issue.json_pointer == "/Transcript/3/IssuesDetected/0/Text"


@needs_samples
def test_real_chat_sample_debit_digits_map_back() -> None:
    doc = read(SAMPLES / "aws-contact-lens" / "chat-analysis-original.json")
    (digits,) = find(doc, "9008")
    assert raw(doc, digits) == "9008"
    assert (digits.json_pointer, digits.speaker) == ("/Transcript/18/Content", "CUSTOMER")
    assert doc.text.startswith("Hello, thanks for contacting us.")
    assert doc.turns[0].speaker == "SYSTEM"


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
