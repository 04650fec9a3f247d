"""Reversible tokens: authenticated encryption of each redacted piece, and its undoing.

Scheme `cg1` (documented in docs/redaction.md):
* key: 32 bytes from HKDF-SHA256 of the redaction key (see keys.py), used with AES-256-GCM;
* nonce: 12 random bytes per token, so equal pieces ("1111" said twice) give unequal tokens;
* associated data: `cg1:<ENTITY_TYPE>`, so a token relabelled as another type fails to open;
* plaintext: the piece exactly as it was in the raw file (UTF-8, JSON escapes included), so
  `unredact` restores the original bytes, not just an equivalent text;
* token: `[[cg1:<ENTITY_TYPE>:<base64url(nonce || ciphertext || tag), unpadded>]]` — ASCII
  letters, digits, `_`, `-`, `:` and brackets only, safe inside JSON strings, captions and logs.

GCM with random 96-bit nonces is safe for about 2**32 tokens per key; rotate keys well before.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from typing import TYPE_CHECKING

from callguard.redaction.errors import RedactionError
from callguard.redaction.keys import CIPHER_PURPOSE, RedactionKey

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "cg1"
_NONCE_BYTES = 12
TOKEN = re.compile(r"\[\[cg1:([A-Z][A-Z0-9_]{0,39}):([A-Za-z0-9_-]{38,65536})\]\]")


class TokenCipher:
    """Encrypts and decrypts pieces under one redaction key (imports `cryptography` lazily)."""

    def __init__(self, key: RedactionKey) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead: AESGCM = AESGCM(key.derive(CIPHER_PURPOSE, 32))

    def __repr__(self) -> str:
        return "TokenCipher()"

    def seal(self, entity_type: str, raw_piece: str) -> str:
        """The token for one raw piece of the file."""
        nonce = os.urandom(_NONCE_BYTES)
        plaintext = raw_piece.encode("utf-8", "surrogateescape")
        sealed = nonce + self._aead.encrypt(nonce, plaintext, _associated(entity_type))
        body = base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")
        return f"[[{VERSION}:{entity_type}:{body}]]"

    def open(self, entity_type: str, body: str) -> str:
        """The raw piece inside a token; raises ValueError if it was altered or the key differs."""
        from cryptography.exceptions import InvalidTag

        try:
            sealed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):
            raise ValueError("not base64url") from None
        nonce, ciphertext = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
        try:
            plaintext = self._aead.decrypt(nonce, ciphertext, _associated(entity_type))
        except InvalidTag:
            raise ValueError("authentication failed") from None
        return plaintext.decode("utf-8", "surrogateescape")


def _associated(entity_type: str) -> bytes:
    return f"{VERSION}:{entity_type}".encode("ascii")


def unredact_text(text: str, cipher: TokenCipher, *, path: str) -> tuple[str, int]:
    """Replace every `cg1` token in `text` by the raw piece it holds; returns (text, count).

    A token that fails to open stops the whole file: a half-restored file is worse than none.
    """
    parts: list[str] = []
    cursor = count = 0
    for match in TOKEN.finditer(text):
        try:
            piece = cipher.open(match[1], match[2])
        except ValueError as exc:
            line = text.count("\n", 0, match.start()) + 1
            raise RedactionError(
                f"{path}:{line}: token cannot be opened ({exc}): it was altered, or another key"
                " was used; nothing written"
            ) from None
        parts += (text[cursor : match.start()], piece)
        cursor = match.end()
        count += 1
    parts.append(text[cursor:])
    return "".join(parts), count
