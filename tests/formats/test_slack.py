"""Slack export: one turn per message with the user's name; blocks scanned as copies."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from callguard.formats import read_documents, slack

FIXTURE = Path(__file__).parent.parent / "fixtures" / "formats" / "slack" / "2024-05-01.json"


def test_messages_turns_and_every_copy_of_the_card() -> None:
    raw = FIXTURE.read_bytes().decode("utf-8")
    doc = next(read_documents(str(FIXTURE), FIXTURE.read_bytes()))
    assert doc.format == "slack"
    assert [(t.speaker, t.audio_start) for t in doc.turns[:3]] == [
        ("U01AAA", None),
        ("Ana Ruiz", None),
        ("ops-bot", None),
    ]
    locations = [
        location
        for match in re.finditer("5555 5555 5555 4444", doc.text)
        for location in doc.locate(match.start(), match.end())
    ]
    assert [raw[loc.char_offset : loc.char_offset + loc.char_length] for loc in locations] == [
        "5555 5555 5555 4444"
    ] * 2
    assert [
        (loc.json_pointer, loc.speaker, loc.start_line, loc.start_column, loc.end_column)
        for loc in locations
    ] == [
        ("/1/text", "Ana Ruiz", 12, 61, 80),
        ("/1/blocks/0/elements/0/elements/0/text", None, 17, 167, 186),
    ]
    assert "1714552800.000200" not in doc.text  # time stamps are not text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param([{"type": "message", "text": "hi", "ts": "1.0"}], True, id="message"),
        pytest.param([{"type": "message", "ts": "1.0"}, {"x": 1}], True, id="half"),
        pytest.param([{"type": "message", "text": "hi"}], False, id="no-ts"),
        pytest.param([{"type": "message", "text": "hi", "ts": 1.0}], False, id="numeric-ts"),
        pytest.param([{"author": "a", "text": "hi", "ts": "1"}], False, id="chat-not-slack"),
        pytest.param({"messages": [{"type": "message", "ts": "1"}]}, False, id="not-a-list"),
        pytest.param([], False, id="empty"),
    ],
)
def test_matches(value: Any, expected: bool) -> None:
    assert slack.matches(value) is expected
