"""Shared helpers for the config-check tests: scan a fixture, get (rule id, line) pairs."""

from __future__ import annotations

from pathlib import Path

import callguard

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "config"
_SCANNER = callguard.Scanner(profile="config")


def findings_of(relative: str) -> list[tuple[str, int]]:
    """(rule id, start line) of every config finding in one fixture, in file order."""
    result = _SCANNER.scan_paths([FIXTURES / relative])
    assert not result.errors, result.errors
    return [(f.rule_id, f.location.start_line) for f in result.findings]


def scan_config(name: str, text: str) -> list[callguard.Finding]:
    """Scan `text` as a file called `name` (the kind is detected from name and content)."""
    return _SCANNER.scan_bytes(text.encode("utf-8"), path=name)
