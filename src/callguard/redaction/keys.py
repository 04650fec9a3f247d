"""The redaction key: where it comes from, and the sub-keys derived from it.

One secret serves two strategies. `hash` needs an HMAC key (stable tokens that let an analyst
join calls about the same card without seeing it); `token` needs an encryption key (reversible
by whoever holds the secret). Each gets its own sub-key via HKDF-SHA256 (RFC 5869, from
`cryptography`, imported when a sub-key is first needed), so a hash token can never be used to
attack the encryption and the other way round.
"""

from __future__ import annotations

import os
from pathlib import Path

from callguard.errors import KeyMaterialError
from callguard.privacy import decode_key, read_key_file

REDACTION_KEY_ENV = "CALLGUARD_REDACTION_KEY"

_SALT = b"callguard redaction v1"
HASH_PURPOSE = "hash"
CIPHER_PURPOSE = "token-aes256gcm"


class RedactionKey:
    """A secret of at least 16 bytes; its repr shows a public id, never the secret."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise KeyMaterialError("redaction key must be at least 16 bytes (32 hex digits)")
        self._secret = secret

    def __repr__(self) -> str:
        return f"RedactionKey(id={self.key_id})"

    @property
    def key_id(self) -> str:
        """A public id of the key: tells keys apart in a run summary, reveals nothing."""
        return self.derive("key id", 8).hex()

    def derive(self, purpose: str, length: int = 32) -> bytes:
        """HKDF-SHA256: extract with a fixed salt, expand with `purpose` as info."""
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=_SALT, info=purpose.encode())
        return hkdf.derive(self._secret)

    @classmethod
    def from_text(cls, text: str, *, source: str) -> RedactionKey:
        """A key written as hex (64 digits for 32 bytes); other text is used as UTF-8 bytes."""
        return cls(decode_key(text.strip(), source=source))


def load_key(key_file: Path | None) -> RedactionKey | None:
    """The key from `key_file` (refused if others can read it), else the environment, else None."""
    if key_file is not None:
        return RedactionKey(read_key_file(key_file))
    value = os.environ.get(REDACTION_KEY_ENV)
    if value:
        return RedactionKey.from_text(value, source=REDACTION_KEY_ENV)
    return None


def as_key(key: RedactionKey | bytes | str | None) -> RedactionKey | None:
    """Accept a RedactionKey, raw bytes, or hex text; None means "look in the environment"."""
    if isinstance(key, RedactionKey):
        return key
    if isinstance(key, bytes):
        return RedactionKey(key)
    if isinstance(key, str):
        return RedactionKey.from_text(key, source="key")
    return load_key(None)
