"""Baselines: accept today's findings so CI fails only on new ones.

A baseline never stores a value: each entry is (path, rule id, keyed fingerprint), plus the line
as a hint for humans. Identity ignores the line, so edits that move a finding do not break it.
The baseline records the public id of the fingerprint key (`Fingerprinter.key_id`), so a
baseline made under another key is refused instead of silently matching nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callguard.errors import ConfigError
from callguard.model import Finding

BASELINE_VERSION = 1


@dataclass(frozen=True)
class BaselineEntry:
    """One accepted finding."""

    path: str
    rule_id: str
    fingerprint: str
    line: int = 0
    note: str = ""

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.path, self.rule_id, self.fingerprint)


@dataclass(frozen=True)
class Baseline:
    """Accepted findings, and the id of the key their fingerprints were made with."""

    key_id: str
    entries: tuple[BaselineEntry, ...]

    def contains(self, finding: Finding) -> bool:
        return (finding.path, finding.rule_id, finding.fingerprint) in self._identities

    @property
    def _identities(self) -> frozenset[tuple[str, str, str]]:
        return frozenset(entry.identity for entry in self.entries)


def from_findings(
    findings: Iterable[Finding], *, key_identifier: str, previous: Baseline | None = None
) -> Baseline:
    """A baseline of `findings`; notes of entries already in `previous` are kept."""
    notes = {entry.identity: entry.note for entry in previous.entries} if previous else {}
    entries: dict[tuple[str, str, str], BaselineEntry] = {}
    for finding in findings:
        identity = (finding.path, finding.rule_id, finding.fingerprint)
        if identity not in entries:
            entries[identity] = BaselineEntry(
                path=finding.path,
                rule_id=finding.rule_id,
                fingerprint=finding.fingerprint,
                line=finding.location.start_line,
                note=notes.get(identity, ""),
            )
    ordered = sorted(entries.values(), key=lambda e: (e.path, e.line, e.rule_id))
    return Baseline(key_id=key_identifier, entries=tuple(ordered))


def dump(baseline: Baseline, *, tool_version: str) -> str:
    """The baseline as stable, diff-friendly JSON."""
    document: dict[str, Any] = {
        "version": BASELINE_VERSION,
        "generated_by": f"callguard {tool_version}",
        "fingerprint_key_id": baseline.key_id,
        "results": [
            {
                key: value
                for key, value in (
                    ("path", entry.path),
                    ("rule_id", entry.rule_id),
                    ("fingerprint", entry.fingerprint),
                    ("line", entry.line),
                    ("note", entry.note),
                )
                if value != ""
            }
            for entry in baseline.entries
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def load(path: Path) -> Baseline:
    """Read a baseline file, with one-line errors naming the file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read baseline ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: baseline is not valid JSON (line {exc.lineno})") from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise ConfigError(f"{path}: not a callguard baseline of version {BASELINE_VERSION}")
    try:
        entries = tuple(
            BaselineEntry(
                path=str(item["path"]),
                rule_id=str(item["rule_id"]),
                fingerprint=str(item["fingerprint"]),
                line=int(item.get("line", 0)),
                note=str(item.get("note", "")),
            )
            for item in document["results"]
        )
    except (KeyError, TypeError, ValueError):
        raise ConfigError(f"{path}: malformed baseline entry") from None
    return Baseline(key_id=str(document.get("fingerprint_key_id", "")), entries=entries)
