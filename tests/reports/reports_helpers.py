"""Hand-built scan results shared by the report tests.

The module name is specific on purpose: the tests directory has no `__init__.py`, so a generic
`helpers` module could be shadowed by another test folder's module of the same name.
Every number is a public test number; previews are masked the way the engine masks them.
"""

from __future__ import annotations

from callguard.model import (
    FileError,
    Finding,
    Location,
    RuleMeta,
    ScanResult,
    Severity,
    SkippedFile,
)

# Raw test PANs (and an SSN) a renderer must never print. The model only carries previews, so
# these can only appear if someone adds raw text to a report (or to the model) later.
RAW_TEST_VALUES = (
    "4111111111111111",
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "5555555555554444",
    "5555 5555 5555 4444",
    "378282246310005",
    "3782-822463-10005",
    "123-45-6789",
)

PCI001 = RuleMeta(
    id="PCI001",
    title="Card number in text",
    entity_type="CREDIT_CARD",
    severity=Severity.ERROR,
    confidence=0.6,
    profiles=("pci",),
    what="Finds primary account numbers that pass the Luhn check and fit a card scheme.",
    why="A stored PAN puts the whole system in PCI DSS scope.",
    cite=("PCI DSS v4.0 3.4.1", "PCI DSS v4.0 3.5.1"),
    examples_bad=(
        "Customer: sure, it's 4111 1111 1111 1111",
        "payment failed for card=5555555555554444 status=declined",
        "Agent: I have the Amex as 3782-822463-10005, is that right?",
    ),
    examples_good=("Customer: my order number is 4111 1111 1111 1112",),
    fix="Redact the number at the source with `callguard redact`.",
)
PCI003 = RuleMeta(
    id="PCI003",
    title="Card security code",
    entity_type="CARD_CVV",
    severity=Severity.ERROR,
    confidence=0.5,
    profiles=("pci",),
    what="Finds a three or four digit security code read out next to card words.",
    why="Sensitive authentication data must not be stored after authorisation.",
    cite=("PCI DSS v4.0 3.3.1.2",),
    examples_bad=("Agent: and the three digits on the back? Customer: 737",),
    examples_good=("Agent: your ticket is 737",),
)
HIP007 = RuleMeta(
    id="HIP007",
    title="Social Security number",
    entity_type="US_SSN",
    severity=Severity.WARNING,
    confidence=0.85,
    profiles=("hipaa",),
    what="Finds US Social Security numbers in the AAA-GG-SSSS form.",
    why="An SSN is a HIPAA Safe Harbor identifier.",
    cite=("45 CFR 164.514(b)(2)(i)(G)",),
    examples_bad=("Patient SSN 123-45-6789",),
    examples_good=("Room 123-45",),
    help_uri="https://callguard.example/rules/HIP007",
)
CFG002 = RuleMeta(
    id="CFG002",
    title="Transcript retention without redaction",
    entity_type="CONFIG",
    severity=Severity.NOTE,
    confidence=0.95,
    profiles=("config", "pci"),
    what="Flags call-recording configs that keep transcripts without a redaction step.",
    why="Unredacted transcripts accumulate card data over time.",
    cite=("PCI DSS v4.0 3.2.1",),
    examples_bad=("transcription: {redaction: none}",),
    examples_good=("transcription: {redaction: pii}",),
)
RULES = (PCI001, PCI003, HIP007, CFG002)

VISA = Finding(
    rule_id="PCI001",
    entity_type="CREDIT_CARD",
    severity=Severity.ERROR,
    confidence=0.97,
    path="calls/2024-05-01/call 17.json",
    locations=(
        Location(
            char_offset=1834,
            char_length=19,
            start_line=57,
            start_column=20,
            end_line=57,
            end_column=39,
            json_pointer="/results/transcripts/0/items/12/content",
            speaker="spk_1",
            audio_start=12.34,
            audio_end=15.9,
        ),
    ),
    preview="411111******1111",
    fingerprint="hmac-sha256:6f1c0c3e9a1b44d2",
    message="Visa card number (Luhn valid) spoken by spk_1",
)
SPLIT_MASTERCARD = Finding(
    rule_id="PCI001",
    entity_type="CREDIT_CARD",
    severity=Severity.ERROR,
    confidence=0.92,
    path="chats/session-9.jsonl",
    locations=(
        Location(210, 9, 4, 31, 4, 40, "/messages/3/text", "customer", 31.0, 33.5),
        Location(298, 4, 5, 12, 5, 16, "/messages/4/text", "customer", 36.25, 37.0),
        Location(371, 6, 6, 9, 7, 2, "/messages/5/text", "customer", None, None),
    ),
    preview="555555******4444",
    fingerprint="hmac-sha256:0b9e7d2a11c3f850",
    message="Mastercard number said over 3 turns",
)
SSN = Finding(
    rule_id="HIP007",
    entity_type="US_SSN",
    severity=Severity.WARNING,
    confidence=0.85,
    path="notes/intake.txt",
    locations=(Location(88, 11, 3, 14, 3, 25),),
    preview="***-**-6789",
    fingerprint="hmac-sha256:7d4f9a0e5c6b1234",
    message="Social Security number",
)
CONFIG = Finding(
    rule_id="CFG002",
    entity_type="CONFIG",
    severity=Severity.NOTE,
    confidence=0.95,
    path="-",
    locations=(Location(0, 24, 1, 1, 1, 25),),
    preview="redaction: none",
    fingerprint="hmac-sha256:aa00bb11cc22dd33",
    message="Transcripts are retained without redaction",
)
MALFORMED = FileError(
    path="exports/broken.json", message="malformed JSON at line 3 column 5: expected ','"
)
BINARY = SkippedFile(path="recordings/call-17.wav", reason="binary content")


def full_result() -> ScanResult:
    """A scan with every kind of fact: multi-location finding, error, skip, unused rule."""
    return ScanResult(
        findings=(VISA, SPLIT_MASTERCARD, SSN, CONFIG),
        errors=(MALFORMED,),
        skipped=(BINARY,),
        files_scanned=12,
        suppressed=1,
        rules=RULES,
    )


def clean_result() -> ScanResult:
    """A scan that found nothing and had no trouble."""
    return ScanResult(files_scanned=3, rules=RULES)
