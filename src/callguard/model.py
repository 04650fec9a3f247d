"""The facts callguard reports: plain frozen dataclasses, safe to log and serialise.

A `Finding` never holds the sensitive value it is about: only a masked `preview` and a keyed
`fingerprint`. Everything here can be printed, stored in a baseline or uploaded as SARIF.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    """How bad a finding is; the order note < warning < error drives `--fail-on`."""

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Parse a severity name, raising ValueError with the allowed names."""
        try:
            return cls(value.lower())
        except ValueError:
            allowed = "|".join(s.value for s in cls)
            raise ValueError(f"severity must be {allowed}, got {value!r}") from None


_SEVERITY_RANK = {Severity.NOTE: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True)
class Location:
    """Where a finding (or one piece of it) sits in the raw file.

    `char_offset`/`char_length` count characters of the raw file decoded as UTF-8 (undecodable
    bytes count one character each; a BOM and the `\\r` of CRLF count too). Lines and columns are
    1-based; `end_column` is exclusive, as in SARIF.
    """

    char_offset: int
    char_length: int
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    json_pointer: str | None = None
    speaker: str | None = None
    audio_start: float | None = None
    audio_end: float | None = None


@dataclass(frozen=True)
class RuleMeta:
    """Everything a user needs to know about a rule; built from `rules/*.yaml` or a plugin."""

    id: str
    title: str
    entity_type: str
    severity: Severity
    confidence: float
    profiles: tuple[str, ...]
    what: str
    why: str
    cite: tuple[str, ...]
    examples_bad: tuple[str, ...]
    examples_good: tuple[str, ...]
    since: str = "0.1.0"
    status: str = "stable"
    fix: str = ""
    help_uri: str = ""
    source: str = ""


@dataclass(frozen=True)
class Finding:
    """One sensitive value found in one input.

    A value said in pieces (a card number spread over several turns) is one finding with several
    locations. `preview` is masked and `fingerprint` is a keyed HMAC, so neither reveals the value.
    """

    rule_id: str
    entity_type: str
    severity: Severity
    confidence: float
    path: str
    locations: tuple[Location, ...]
    preview: str
    fingerprint: str
    message: str

    @property
    def location(self) -> Location:
        """The first location: where a reader should look first."""
        return self.locations[0]

    def __str__(self) -> str:
        loc = self.location
        return (
            f"{self.path}:{loc.start_line}:{loc.start_column}: {self.rule_id} "
            f"{self.entity_type} {self.preview} ({self.confidence:.2f})"
        )


@dataclass(frozen=True)
class FileError:
    """An input that could not be scanned; reported, never silently skipped."""

    path: str
    message: str


@dataclass(frozen=True)
class SkippedFile:
    """An input deliberately not scanned (binary content, excluded size), with the reason."""

    path: str
    reason: str


@dataclass(frozen=True)
class ScanResult:
    """The outcome of scanning a set of inputs."""

    findings: tuple[Finding, ...] = ()
    errors: tuple[FileError, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    files_scanned: int = 0
    files_unchanged: int = 0  # skipped by `--state`: scanned by an earlier run, not changed
    suppressed: int = 0
    baselined: int = 0
    rules: tuple[RuleMeta, ...] = field(default=(), repr=False)
