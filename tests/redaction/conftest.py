"""Shared data for the redaction tests: test card numbers only, a test key, the fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from callguard.redaction import Redactor

ROOT = Path(__file__).resolve().parents[2]
TEST_PANS = ("4111111111111111", "5555555555554444", "378282246310005", "6011111111111117")
KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
FIXTURES = sorted(
    path
    for pattern in ("tests/fixtures/formats/*/*", "examples/*/*")
    for path in ROOT.glob(pattern)
    if path.is_file() and path.suffix != ".md"
)
_SEPARATORS = re.compile(r"[\s.,\-\"]+")


def holds_test_pan(text: str) -> bool:
    """True if any test PAN appears, with separators (spaces, dashes, quotes) ignored."""
    squeezed = _SEPARATORS.sub("", text)
    return any(pan in squeezed for pan in TEST_PANS)


@pytest.fixture(scope="session")
def pci_redactor() -> Redactor:
    return Redactor(profile="pci", strategy="tag")


@pytest.fixture(scope="session")
def token_redactor() -> Redactor:
    return Redactor(profile="pci", strategy="CREDIT_CARD=token,default=tag", key=KEY_HEX)
