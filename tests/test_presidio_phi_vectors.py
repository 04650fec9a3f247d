"""Presidio's own PHI test vectors (read by path from ../shared/external): we agree, or differ on
purpose.

Every case is a test. Where callguard deliberately differs, the case's id names the reason and
the test asserts callguard's documented behaviour (docs/hipaa-identifiers.md, "Presidio
conformance"). A new upstream case that we neither match nor list fails: no silent skips.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from callguard import Scanner

VECTORS = Path(__file__).resolve().parents[2] / "shared" / "external" / "presidio-tests"
FILES = {
    "phone": "PHONE_NUMBER",
    "us_ssn": "US_SSN",
    "email": "EMAIL_ADDRESS",
    "ip": "IP_ADDRESS",
    "us_driver_license": "US_DRIVER_LICENSE",
}

# (file, case text, leniency or None) -> (reason, the spans callguard reports instead)
DIFFERENCES: dict[tuple[str, str, int | None], tuple[str, list[list[int]]]] = {
    ("phone", "My Israeli number is 09-7625400", None): ("trunk-zero-needs-phone-word", []),
    ("phone", "My Japanese number is 090-1234-5678", None): ("trunk-zero-needs-phone-word", []),
    (
        "phone",
        "My US number is (415) 555-0132, and my international one is415-555-0132",
        0,
    ): ("number-glued-to-word", [[16, 30]]),
    (
        "phone",
        "My US number is (415) 555-0132, and my international one is 91-415-555-0132",
        1,
    ): ("country-code-without-plus", [[16, 30]]),
    (
        "phone",
        "My US number is (415) 555-0132, and my international one is +91 4155 550132",
        3,
    ): ("plus-number-any-grouping", [[16, 30], [60, 75]]),
    ("us_ssn", "078-051121 07805-1121", None): ("ssn-mixed-delimiters", []),
    ("us_ssn", "078051121", None): ("ssn-bare-digits-need-cue", []),
    ("ip", "Use local ipv6 ::", None): ("ip-unspecified-address", []),
    ("ip", "src=:: dst=::1", None): ("ip-unspecified-address", [[11, 14]]),
    ("ip", "Unspecified ::", None): ("ip-unspecified-address", []),
    ("ip", "::/0", None): ("ip-unspecified-address", []),
    ("ip", "::/128", None): ("ip-unspecified-address", []),
    ("us_driver_license", "H12234567", None): ("licence-needs-cue", []),
    (
        "us_driver_license",
        "123456789 1234567890 12345679012 123456790123 1234567901234 1234",
        None,
    ): ("licence-needs-cue", []),
}


def _cases() -> list[Any]:
    params = []
    for name in FILES:
        path = VECTORS / f"{name}_cases.json"
        if not path.is_file():  # pragma: no cover - the shared data sits beside every checkout
            pytest.fail(f"missing external test vectors: {path}")
        for index, case in enumerate(json.loads(path.read_text())["cases"]):
            leniency = case.get("recognizer_kwargs", {}).get("leniency")
            reason = DIFFERENCES.get((name, case["text"], leniency), ("agrees", None))[0]
            params.append(pytest.param(name, case, id=f"{name}-{index}-{reason}"))
    return params


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(profile="hipaa")


@pytest.mark.parametrize(("name", "case"), _cases())
def test_presidio_vector(scanner: Scanner, name: str, case: dict[str, Any]) -> None:
    entity = FILES[name]
    spans = [
        [f.location.char_offset, f.location.char_offset + f.location.char_length]
        for f in scanner.scan_text(case["text"])
        if f.entity_type == entity
    ]
    leniency = case.get("recognizer_kwargs", {}).get("leniency")
    difference = DIFFERENCES.get((name, case["text"], leniency))
    if difference is not None:
        assert spans == difference[1], difference[0]
    elif case.get("spans_partial"):
        assert len(spans) == case["expected_count"]
    else:
        assert spans == case["expected_spans"]


def test_every_listed_difference_is_a_real_case() -> None:
    """A difference whose case upstream dropped or changed is stale and must be removed."""
    known = {
        (name, case["text"], case.get("recognizer_kwargs", {}).get("leniency"))
        for name in FILES
        for case in json.loads((VECTORS / f"{name}_cases.json").read_text())["cases"]
    }
    assert set(DIFFERENCES) <= known
