"""callguard: keep card data and PHI out of transcripts, chat logs and configs.

```python
import callguard

findings = callguard.scan_text("Customer: it's 4111 1111 1111 1111", profile="pci")
for finding in findings:
    print(finding.rule_id, finding.preview, finding.location.start_column)
```
Build one `Scanner` and reuse it in a service; `scan_text` does that for you per profile.
`redact_text(text, profile="pci")` returns the text with each finding replaced.
No finding ever holds the raw value: only a masked `preview` and a keyed `fingerprint`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from callguard.config import Config, load_config
from callguard.document import Document
from callguard.engine import Scanner
from callguard.errors import CallguardError, ConfigError, InputError, KeyMaterialError, RuleError
from callguard.model import (
    FileError,
    Finding,
    Location,
    RuleMeta,
    ScanResult,
    Severity,
    SkippedFile,
)
from callguard.redaction import (
    RedactionError,
    RedactionResult,
    redact_bytes,
    redact_document,
    redact_text,
    unredact_bytes,
)

__version__ = "0.1.0"

__all__ = [
    "CallguardError",
    "Config",
    "ConfigError",
    "Document",
    "FileError",
    "Finding",
    "InputError",
    "KeyMaterialError",
    "Location",
    "RedactionError",
    "RedactionResult",
    "RuleError",
    "RuleMeta",
    "ScanResult",
    "Scanner",
    "Severity",
    "SkippedFile",
    "__version__",
    "load_config",
    "redact_bytes",
    "redact_document",
    "redact_text",
    "scan_paths",
    "scan_text",
    "unredact_bytes",
]


@functools.lru_cache(maxsize=8)
def _shared_scanner(profile: str) -> Scanner:
    return Scanner(profile=profile)


def scan_text(text: str, *, profile: str = "all") -> list[Finding]:
    """Scan one string (a chat message, a transcript) with the built-in rules of `profile`.

    The scanner for each profile is built on first use and reused, so calling this per message
    costs only the scan itself.
    """
    return _shared_scanner(profile).scan_text(text)


def scan_paths(
    targets: Iterable[str | Path], *, profile: str | None = None, config: Config | None = None
) -> ScanResult:
    """Scan files, directories, `-` (stdin) or fsspec URLs; formats are detected from content."""
    return Scanner(profile=profile, config=config).scan_paths(targets)
