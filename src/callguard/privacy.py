"""Masked previews and keyed fingerprints: how a finding can be shown and matched without its value.

A plain hash of a card number can be reversed by trying every number in the issuer's range, so
fingerprints are HMAC-SHA256 under a secret key. The key comes from `CALLGUARD_FINGERPRINT_KEY`
(or a key file named in the configuration). Without one, each process makes a random key: fine
for a single run, but fingerprints then differ between runs, so baselines need a real key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from callguard.errors import KeyMaterialError

FINGERPRINT_KEY_ENV = "CALLGUARD_FINGERPRINT_KEY"

# Entity types whose every character is secret: nothing of them is ever shown.
_FULLY_MASKED = frozenset({"CARD_CVV", "CARD_PIN", "CARD_TRACK_DATA", "CARD_EXPIRY"})


def preview(entity_type: str, value: str) -> str:
    """A masked form of `value` that is safe to print.

    Card numbers follow the PCI DSS display rule (3.4.1): at most the first six and last four
    digits. Authentication data shows nothing. Config findings show their safe description.
    Other values keep their shape only: digits become `#`, letters `*`, so a reader can tell a
    date from a name without learning either.
    """
    if entity_type == "CREDIT_CARD" and len(value) >= 13 and value.isdigit():
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if entity_type == "CONFIG":
        # Config checks build their value as a safe description ("PermitRootLogin yes");
        # secret settings are described, never quoted.
        return value[:80]
    if entity_type in _FULLY_MASKED:
        return "*" * min(len(value), 8)
    return "".join(_shape(char) for char in value[:24]) + ("…" if len(value) > 24 else "")


def _shape(char: str) -> str:
    if char.isdigit():
        return "#"
    if char.isalpha():
        return "*"
    return char if char in " -./:@" else "*"


class Fingerprinter:
    """Keyed HMAC-SHA256 fingerprints of sensitive values.

    The HMAC state after the key is kept and copied per value: `hmac.digest` hashes the key
    afresh for each one, which cost more than hashing the value.
    """

    def __init__(self, key: bytes, *, stable: bool = True) -> None:
        if len(key) < 16:
            raise KeyMaterialError("fingerprint key must be at least 16 bytes")
        self._key = key
        self.stable = stable
        self._keyed = hmac.new(key, digestmod="sha256")

    def __reduce__(self) -> tuple[Callable[[bytes, bool], Fingerprinter], tuple[bytes, bool]]:
        """Pickled as its key (for worker processes): the HMAC state cannot be, and is rebuilt."""
        return _fingerprinter, (self._key, self.stable)

    def __repr__(self) -> str:
        return f"Fingerprinter(stable={self.stable})"

    @property
    def key_id(self) -> str:
        """A public id of this key (an HMAC of a fixed label): tells keys apart, reveals nothing."""
        return hmac.new(self._key, b"callguard key id", hashlib.sha256).hexdigest()[:16]

    def fingerprint(self, entity_type: str, value: str) -> str:
        """32 hex digits identifying (entity type, value) under this key."""
        keyed = self._keyed.copy()
        keyed.update(f"{entity_type}\x00{value}".encode("utf-8", "surrogateescape"))
        return keyed.hexdigest()[:32]

    @classmethod
    def from_environment(cls, key_file: Path | None = None) -> Fingerprinter:
        """The key from `key_file`, else `CALLGUARD_FINGERPRINT_KEY`, else a random per-run key."""
        if key_file is not None:
            return cls(read_key_file(key_file))
        value = os.environ.get(FINGERPRINT_KEY_ENV)
        if value:
            return cls(decode_key(value, source=FINGERPRINT_KEY_ENV))
        return cls(secrets.token_bytes(32), stable=False)


def _fingerprinter(key: bytes, stable: bool) -> Fingerprinter:
    return Fingerprinter(key, stable=stable)


def read_key_file(path: Path) -> bytes:
    """Read a key file, refusing one that other users can read."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise KeyMaterialError(f"{path}: cannot read key file ({exc.strerror})") from exc
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyMaterialError(
            f"{path}: key file is readable by other users; run: chmod 600 {path}"
        )
    try:
        text = path.read_text(encoding="ascii", errors="strict")
    except UnicodeDecodeError:
        raise KeyMaterialError(
            f"{path}: key file is not text; write the key as hex, e.g. "
            'python3 -c "import secrets; print(secrets.token_hex(32))" > KEYFILE'
        ) from None
    except OSError as exc:
        raise KeyMaterialError(f"{path}: cannot read key file ({exc.strerror})") from exc
    return decode_key(text.strip(), source=str(path))


def decode_key(text: str, *, source: str) -> bytes:
    """Keys are written as hex (64 digits for 32 bytes); other text is used as UTF-8 bytes."""
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = text.encode("utf-8")
    if len(key) < 16:
        raise KeyMaterialError(f"{source}: key must be at least 16 bytes (32 hex digits)")
    return key
