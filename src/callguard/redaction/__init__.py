"""Redaction: write each input back in its own format with findings replaced.

```python
import callguard.redaction as redaction

redaction.redact_text("Customer: it's 4111 1111 1111 1111", strategy="partial")
# 'Customer: it's 4111 11** **** 1111'
result = redaction.redact_bytes(data, path="call.json", strategy="CREDIT_CARD=token,default=tag",
                                key=open_key_bytes)
result.data      # same format (valid JSON, same keys), gzip kept
result.mute      # audio ranges to silence, for transcripts with timings
```
Strategies, the token scheme and the mute sidecar are described in docs/redaction.md.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from callguard.redaction.core import DEFAULT_MARGIN, RedactionResult, Redactor
from callguard.redaction.errors import RedactionError
from callguard.redaction.keys import REDACTION_KEY_ENV, RedactionKey, load_key
from callguard.redaction.policy import STRATEGIES, Policy

if TYPE_CHECKING:
    from callguard.document import Document
    from callguard.engine import Scanner

__all__ = [
    "DEFAULT_MARGIN",
    "REDACTION_KEY_ENV",
    "STRATEGIES",
    "Policy",
    "RedactionError",
    "RedactionKey",
    "RedactionResult",
    "Redactor",
    "load_key",
    "redact_bytes",
    "redact_document",
    "redact_text",
    "unredact_bytes",
]


@functools.lru_cache(maxsize=8)
def _shared_scanner(profile: str) -> Scanner:
    from callguard.engine import Scanner

    return Scanner(profile=profile)


def redact_text(
    text: str,
    *,
    profile: str = "all",
    strategy: str | Policy = "tag",
    key: RedactionKey | bytes | str | None = None,
) -> str:
    """Redact one string read as plain text; `key` (or CALLGUARD_REDACTION_KEY) for hash/token."""
    redactor = Redactor(scanner=_shared_scanner(profile), strategy=strategy, key=key)
    return redactor.redact_text(text)


def redact_document(
    document: Document,
    *,
    profile: str = "all",
    strategy: str | Policy = "tag",
    key: RedactionKey | bytes | str | None = None,
) -> str:
    """The raw text of a Document with its findings replaced, in the Document's own syntax.

    Scanned again and redacted again until nothing is left (a bounded number of rounds);
    RedactionError, naming the rules, if findings remain.
    """
    redactor = Redactor(scanner=_shared_scanner(profile), strategy=strategy, key=key)
    return redactor.redact_document(document)


def redact_bytes(
    data: bytes,
    *,
    path: str,
    profile: str = "all",
    strategy: str | Policy = "tag",
    key: RedactionKey | bytes | str | None = None,
    margin: float = DEFAULT_MARGIN,
) -> RedactionResult:
    """Redact a file's bytes into the same format, verified by reading the result again."""
    redactor = Redactor(scanner=_shared_scanner(profile), strategy=strategy, key=key, margin=margin)
    return redactor.redact_bytes(data, path=path)


def unredact_bytes(
    data: bytes, *, path: str, key: RedactionKey | bytes | str | None = None
) -> bytes:
    """Restore every `token` piece of a redacted file; RedactionError if one was altered."""
    from callguard.redaction.restore import unredact

    return unredact(data, path=path, key=key)
