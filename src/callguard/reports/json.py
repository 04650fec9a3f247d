"""The plain JSON report: the same facts as SARIF, in a shape scripts can read without a SARIF SDK.

Keys come out in a fixed order and `None` values are left out, so two runs over the same input
produce byte-identical reports that diff cleanly. Nothing here sees a raw value: a `Finding`
carries only its masked preview and keyed fingerprint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from callguard.model import Finding, Location, ScanResult, Severity

__all__ = ["location_context", "render", "summary"]

# Most severe first: the order a reader scans a summary in.
_SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.NOTE)


def location_context(location: Location) -> dict[str, Any]:
    """Return the format-specific context of a location (pointer, speaker, audio times).

    Shared by every renderer so the JSON report, SARIF properties and text output use the same
    names for the same facts; fields the input format did not have are left out.
    """
    context: dict[str, Any] = {
        "json_pointer": location.json_pointer,
        "speaker": location.speaker,
        "audio_start": location.audio_start,
        "audio_end": location.audio_end,
    }
    return {key: value for key, value in context.items() if value is not None}


def _location(location: Location) -> dict[str, Any]:
    return {
        "char_offset": location.char_offset,
        "char_length": location.char_length,
        "start_line": location.start_line,
        "start_column": location.start_column,
        "end_line": location.end_line,
        "end_column": location.end_column,
        **location_context(location),
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "rule_id": finding.rule_id,
        "entity_type": finding.entity_type,
        "severity": finding.severity.value,
        "confidence": finding.confidence,
        "path": finding.path,
        "preview": finding.preview,
        "fingerprint": finding.fingerprint,
        "message": finding.message,
        "locations": [_location(location) for location in finding.locations],
    }


def _sorted_counts(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def summary(result: ScanResult) -> dict[str, Any]:
    """Count what a CI gate or dashboard needs without walking the findings.

    Every severity is always present (zero included) so consumers can index it blindly;
    per-rule and per-entity counts are sorted by name for stable output.
    """
    severities = Counter(finding.severity for finding in result.findings)
    return {
        "files_scanned": result.files_scanned,
        "files_failed": len(result.errors),
        "files_skipped": len(result.skipped),
        "files_unchanged": result.files_unchanged,
        "findings": len(result.findings),
        "suppressed": result.suppressed,
        "by_rule": _sorted_counts(finding.rule_id for finding in result.findings),
        "by_severity": {severity.value: severities[severity] for severity in _SEVERITY_ORDER},
        "by_entity_type": _sorted_counts(finding.entity_type for finding in result.findings),
    }


def render(result: ScanResult, *, tool_version: str) -> dict[str, Any]:
    """Build the JSON report document (not yet serialised; `callguard.reports.render` does that)."""
    return {
        "version": tool_version,
        "tool": "callguard",
        "findings": [_finding(finding) for finding in result.findings],
        "errors": [{"path": error.path, "message": error.message} for error in result.errors],
        "skipped": [{"path": skip.path, "reason": skip.reason} for skip in result.skipped],
        "summary": summary(result),
    }
