"""Presidio's own credit-card test vectors (read by path from ../shared/external): we agree.

Spans are compared exactly; Presidio's negatives (Luhn failures, the 13-digit epoch timestamp)
must stay negative.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from callguard import Scanner

VECTORS = Path(__file__).resolve().parents[2] / "shared" / "external" / "presidio-tests"


def _cases(name: str) -> list[dict[str, Any]]:
    path = VECTORS / name
    if not path.is_file():  # pragma: no cover - the shared data sits beside every checkout
        pytest.fail(f"missing external test vectors: {path}")
    cases: list[dict[str, Any]] = json.loads(path.read_text())["cases"]
    return cases


@pytest.mark.parametrize("case", _cases("credit_card_cases.json"), ids=lambda c: c["text"][:40])
def test_credit_card_vectors(case: dict[str, Any]) -> None:
    findings = Scanner(profile="pci").scan_text(case["text"])
    spans = [
        [f.location.char_offset, f.location.char_offset + f.location.char_length] for f in findings
    ]
    assert spans == case["expected_spans"]
