"""PHI in the vendors' own published samples: what their redaction marked, callguard finds.

Amazon's Contact Lens chat sample comes as an original and a redacted copy whose `[PII]` tags
mark the agent's and caller's names, the street address and the ZIP code. Deepgram's redaction
example reads a card, expiry, CVV, street address, ZIP, phone and birth date aloud.
"""

from __future__ import annotations

import json

import pytest
from vendor_helpers import SAMPLES, needs_samples

from callguard import Scanner

pytestmark = needs_samples


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(profile="all")


def _found(scanner: Scanner, path: str) -> list[tuple[str, str, str | None]]:
    raw = (SAMPLES / path).read_text(encoding="utf-8")
    result = scanner.scan_paths([str(SAMPLES / path)])
    return [
        (f.entity_type, raw[loc.char_offset : loc.char_offset + loc.char_length], loc.json_pointer)
        for f in result.findings
        for loc in f.locations
    ]


def test_contact_lens_chat_everything_amazon_redacted_in_the_messages(scanner: Scanner) -> None:
    found = _found(scanner, "aws-contact-lens/chat-analysis-original.json")
    in_messages = {(kind, text) for kind, text, pointer in found if pointer.endswith("/Content")}
    assert {
        ("PERSON", "Jane"),
        ("PERSON", "John"),
        ("PERSON", "Doe"),
        ("LOCATION", "123 Any Street"),
        ("LOCATION", "98109"),
    } <= in_messages
    # Not PHI: the participant role token, and the last four of a card read back as a "ZIP".
    assert not any("SYSTEM_MESSAGE" in text for _, text, _ in found)
    assert not any(text in ("four", "9008") for _, text, _ in found)


def test_deepgram_example_read_aloud_is_found_piece_by_piece(scanner: Scanner) -> None:
    found = {(kind, text) for kind, text, _ in _found(scanner, "deepgram/redaction-examples.json")}
    before = json.loads((SAMPLES / "deepgram/redaction-examples.json").read_text())
    assert "three main street" in before["examples"][0]["before"]
    expected = {
        (
            "CREDIT_CARD",
            "four four four four nine nine nine nine three three three three two two two two",
        ),
        ("CARD_CVV", "one one one"),
        ("LOCATION", "one two three main street"),
        ("LOCATION", "seven five two zero one"),
        ("DATE_TIME", "july twelfth nineteen seventy six"),
    }
    assert expected <= found
