"""Masked previews, keyed fingerprints and key files: nothing we protect leaks through them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from callguard.errors import KeyMaterialError
from callguard.privacy import Fingerprinter, preview, read_key_file


@pytest.mark.parametrize(
    ("entity", "value", "shown"),
    [
        pytest.param("CREDIT_CARD", "4111111111111111", "411111******1111", id="pan-16"),
        pytest.param("CREDIT_CARD", "378282246310005", "378282*****0005", id="pan-15"),
        pytest.param("CREDIT_CARD", "4222222222222", "422222***2222", id="pan-13"),
        pytest.param("CARD_CVV", "123", "***", id="cvv"),
        pytest.param("CARD_EXPIRY", "0427", "****", id="expiry"),
        pytest.param("US_SSN", "078-05-1120", "###-##-####", id="ssn-shape"),
        pytest.param("PERSON", "Maria Lopez", "***** *****", id="name-shape"),
    ],
)
def test_preview_masks(entity: str, value: str, shown: str) -> None:
    assert preview(entity, value) == shown


def test_fingerprint_is_hmac_sha256_of_type_and_value_so_baselines_stay_valid() -> None:
    """Baselines store fingerprints: the scheme is HMAC-SHA256(key, type NUL value), 32 hex
    digits. This vector was computed with the standard library's hmac; a change of scheme
    would silently turn every baselined finding into a new one."""
    fingerprinter = Fingerprinter(bytes(range(32)))
    fingerprint = fingerprinter.fingerprint("CREDIT_CARD", "4111111111111111")
    assert fingerprint == "cc04a1656a212e355d7b055d32d87007"


def test_pan_preview_never_shows_more_than_first_six_and_last_four() -> None:
    for length in range(13, 20):
        digits = "4" + "1234567890123456789"[: length - 1]
        shown = preview("CREDIT_CARD", digits)
        assert sum(char.isdigit() for char in shown) <= 10
        assert len(shown) == length


def test_fingerprints_differ_by_key_and_entity() -> None:
    one = Fingerprinter(b"k" * 32)
    two = Fingerprinter(b"j" * 32)
    assert one.fingerprint("CREDIT_CARD", "4111111111111111") != two.fingerprint(
        "CREDIT_CARD", "4111111111111111"
    )
    assert one.fingerprint("CREDIT_CARD", "123") != one.fingerprint("CARD_CVV", "123")


def test_no_key_means_random_unstable_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLGUARD_FINGERPRINT_KEY", raising=False)
    first = Fingerprinter.from_environment()
    second = Fingerprinter.from_environment()
    assert not first.stable
    assert first.fingerprint("CREDIT_CARD", "4111111111111111") != second.fingerprint(
        "CREDIT_CARD", "4111111111111111"
    )


def test_short_key_in_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLGUARD_FINGERPRINT_KEY", "abc")
    with pytest.raises(KeyMaterialError, match="at least 16 bytes"):
        Fingerprinter.from_environment()


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX-only")
def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "fingerprint.key"
    key.write_text("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n")
    key.chmod(0o644)
    with pytest.raises(KeyMaterialError, match="chmod 600"):
        read_key_file(key)
    key.chmod(0o600)
    assert len(read_key_file(key)) == 32


def test_binary_key_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    """`head -c 32 /dev/urandom > key` is a natural mistake: it must say how to write a key,
    not fail with an internal decoding error (and never echo the bytes)."""
    key = tmp_path / "redaction.key"
    key.write_bytes(bytes(range(200, 232)))
    key.chmod(0o600)
    with pytest.raises(KeyMaterialError, match="not text; write the key as hex") as error:
        read_key_file(key)
    assert "\\x" not in str(error.value)
    assert "\xc8" not in str(error.value)


def test_fingerprinter_repr_hides_the_key() -> None:
    assert "kkkk" not in repr(Fingerprinter(b"k" * 32))


def test_reprs_of_internal_objects_hide_the_value() -> None:
    """Anything a developer may log holds the PAN only behind repr=False."""
    from callguard import Scanner
    from callguard.detectors.spoken import digit_runs
    from callguard.document import RawString, Setting
    from callguard.formats import read_text
    from callguard.registry import builtin_rules

    text = "Customer: it's four one one one one one one one one one one one one one one one\n"
    (document,) = read_text("call.txt", text)
    (run,) = digit_runs(text)
    setting = Setting("requirepass", "4111111111111111", RawString(0, 16))
    (rule,) = [r for r in builtin_rules() if r.meta.id == "PCI002"]
    matches = list(rule.scan(document))
    findings = Scanner(profile="pci").scan_document(document)
    assert matches
    assert findings
    for shown in (repr(document), repr(run), repr(setting), repr(matches), repr(findings)):
        assert "4111111111111111" not in shown
        assert "four one one one" not in shown
