"""Un-redaction: put back the pieces that the `token` strategy encrypted.

The tokens hold the raw pieces exactly as they were in the file, so restoring needs no format
knowledge: every token in the (decompressed) text is opened and replaced, and gzip input gives
gzip output. Tags, masks and hashes are one-way and stay as they are.
"""

from __future__ import annotations

import gzip

from callguard.errors import KeyMaterialError
from callguard.formats import GZIP_MAGIC, gunzip
from callguard.redaction.core import MAX_ROUNDS
from callguard.redaction.keys import RedactionKey, as_key
from callguard.redaction.tokens import TokenCipher, unredact_text

_LIMIT = 2 * 1024**3


def unredact(data: bytes, *, path: str, key: RedactionKey | bytes | str | None) -> bytes:
    """The original bytes of every token piece put back; other text unchanged."""
    resolved = as_key(key)
    if resolved is None:
        raise KeyMaterialError(
            "unredact needs the redaction key: --key-file FILE or CALLGUARD_REDACTION_KEY"
        )
    compressed = data[:2] == GZIP_MAGIC
    plain = gunzip(path, data, _LIMIT) if compressed else data
    cipher = TokenCipher(resolved)
    text, total = plain.decode("utf-8", "surrogateescape"), 0
    # A later redaction round may have sealed a piece holding an earlier token: open again.
    for _ in range(MAX_ROUNDS + 1):
        text, count = unredact_text(text, cipher, path=path)
        total += count
        if not count:
            break
    if not total:
        return data
    restored = text.encode("utf-8", "surrogateescape")
    return gzip.compress(restored, mtime=0) if compressed else restored
