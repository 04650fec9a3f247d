"""SARIF 2.1.0 output, for GitHub code scanning and any other SARIF viewer.

The log must validate against the official OASIS schema and carry the same facts as the JSON
report (see INTERFACE.md "Findings"). Every rule is described in `tool.driver.rules`, even rules
with no result, so a viewer can explain a rule the first time it fires. Nothing here sees a raw
value: findings carry a masked preview and a keyed fingerprint only.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from callguard.model import (
    FileError,
    Finding,
    Location,
    RuleMeta,
    ScanResult,
    Severity,
    SkippedFile,
)
from callguard.reports.json import location_context
from callguard.reports.taxonomies import Taxonomies

__all__ = ["FINGERPRINT_KEY", "SCHEMA_URI", "artifact_uri", "render"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/callguard/callguard"
# Versioned so a future change of fingerprint scheme can ship beside this one, not replace it.
FINGERPRINT_KEY = "callguard/v1"

# GitHub buckets: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, below low.
_SECURITY_SEVERITY = {Severity.ERROR: "8.5", Severity.WARNING: "5.5", Severity.NOTE: "2.0"}
# Sensitive authentication data must never be stored after authorisation (PCI DSS 3.3.1), so
# finding it is worse than finding a PAN, which may be stored when rendered unreadable.
_CRITICAL_ENTITIES = frozenset({"CARD_TRACK_DATA", "CARD_CVV", "CARD_PIN"})
_CRITICAL_SCORE = "9.1"

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
# A run of six or more digits, optionally separated by single spaces, dots or dashes.
_DIGIT_RUN = re.compile(r"\d(?:[ .-]?\d){5,40}")
_TITLE_WORD = re.compile(r"[A-Za-z0-9]+")
_BACKTICK_RUN = re.compile(r"`+")


def artifact_uri(path: str) -> str:
    """Turn a finding's path into a SARIF artifact URI.

    Relative paths become relative URI references (percent-encoded, so a space or `#` in a file
    name cannot be misread), which GitHub resolves against the repository root. Absolute paths
    become `file://` URIs, URLs are kept, and stdin is reported as `stdin`.
    """
    if path in ("", "-"):
        return "stdin"
    if _URL_SCHEME.match(path):
        return quote(path, safe=_URL_SAFE)
    if _WINDOWS_DRIVE.match(path):
        return PureWindowsPath(path).as_uri()
    posix = PurePosixPath(path)
    if posix.is_absolute():
        return posix.as_uri()
    # Only "/" stays literal: a ":" in the first segment would otherwise read as a scheme.
    return quote(posix.as_posix(), safe="/")


def _rule_name(meta: RuleMeta) -> str:
    words = _TITLE_WORD.findall(meta.title)
    return "".join(word[:1].upper() + word[1:] for word in words) or meta.id


def _mask_digits(example: str) -> str:
    """Mask all but the last four digits of long digit runs in a rule example.

    Bad examples are, by definition, text callguard reports, and good ones often hold a test card
    number that another rule reports. Masking both keeps the log from tripping callguard itself
    (or another DLP scanner) when a SARIF file is stored or re-scanned.
    """

    def mask(match: re.Match[str]) -> str:
        run = match.group(0)
        keep_from = len(run) - 4
        return "".join("*" if ch.isdigit() and i < keep_from else ch for i, ch in enumerate(run))

    return _DIGIT_RUN.sub(mask, example)


def _fenced(lines: tuple[str, ...]) -> str:
    longest = max((len(run) for line in lines for run in _BACKTICK_RUN.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + "text", *lines, fence])


def _help_sections(meta: RuleMeta) -> list[tuple[str, str, str]]:
    """Return (heading, plain text, markdown) per help section, in reading order."""
    bad = tuple(_mask_digits(example) for example in meta.examples_bad)
    good = tuple(_mask_digits(example) for example in meta.examples_good)
    example_md = []
    if bad:
        example_md.append("Bad (reported):\n\n" + _fenced(bad))
    if good:
        example_md.append("Good (not reported):\n\n" + _fenced(good))
    example_text = [f"bad: {line}" for line in bad] + [f"good: {line}" for line in good]
    references = list(meta.cite)
    if meta.help_uri:
        references.append(meta.help_uri)
    sections = [
        ("What it does", meta.what, meta.what),
        ("Why it matters", meta.why, meta.why),
        ("Example", "\n".join(example_text), "\n\n".join(example_md)),
        ("Fix", meta.fix, meta.fix),
        ("References", "; ".join(references), "\n".join(f"- {ref}" for ref in references)),
    ]
    return [section for section in sections if section[1]]


def _help(meta: RuleMeta) -> dict[str, str]:
    sections = _help_sections(meta)
    # Multi-line sections (the examples) start on their own line so each example reads whole.
    paragraphs = []
    for heading, plain, _ in sections:
        separator = "\n" if "\n" in plain else " "
        paragraphs.append(f"{heading}:{separator}{plain}")
    text = "\n\n".join(paragraphs)
    markdown = "\n\n".join(f"## {heading}\n\n{md}" for heading, _, md in sections)
    return {"text": text, "markdown": markdown}


def _security_severity(meta: RuleMeta) -> str:
    if meta.severity is Severity.ERROR and meta.entity_type in _CRITICAL_ENTITIES:
        return _CRITICAL_SCORE
    return _SECURITY_SEVERITY[meta.severity]


def _precision(confidence: float) -> str:
    if confidence >= 0.9:
        return "very-high"
    if confidence >= 0.7:
        return "high"
    if confidence >= 0.4:
        return "medium"
    return "low"


def _rule(meta: RuleMeta, taxonomies: Taxonomies | None = None) -> dict[str, Any]:
    tags = ["security", meta.entity_type, *meta.profiles, *meta.cite]
    descriptor: dict[str, Any] = {
        "id": meta.id,
        "name": _rule_name(meta),
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.what or meta.title},
        "help": _help(meta),
    }
    if meta.help_uri:
        descriptor["helpUri"] = meta.help_uri
    descriptor["defaultConfiguration"] = {"level": meta.severity.value}
    descriptor["properties"] = {
        "tags": list(dict.fromkeys(tags)),
        "security-severity": _security_severity(meta),
        "precision": _precision(meta.confidence),
    }
    relationships = taxonomies.relationships(meta) if taxonomies else []
    if relationships:
        descriptor["relationships"] = relationships
    return descriptor


def _location(path: str, location: Location) -> dict[str, Any]:
    sarif_location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(path)},
            "region": {
                "startLine": location.start_line,
                "startColumn": location.start_column,
                "endLine": location.end_line,
                "endColumn": location.end_column,
                "charOffset": location.char_offset,
                "charLength": location.char_length,
            },
        },
    }
    context = location_context(location)
    if context:
        sarif_location["properties"] = context
    return sarif_location


def _result(finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": finding.rule_id}
    if finding.rule_id in rule_index:
        result["ruleIndex"] = rule_index[finding.rule_id]
    result["level"] = finding.severity.value
    result["message"] = {"text": finding.message or f"{finding.entity_type} found"}
    result["locations"] = [_location(finding.path, loc) for loc in finding.locations]
    result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    result["properties"] = {
        "entity_type": finding.entity_type,
        "confidence": finding.confidence,
        "preview": finding.preview,
        **location_context(finding.location),
    }
    return result


def _notification(item: FileError | SkippedFile) -> dict[str, Any]:
    if isinstance(item, FileError):
        level, text, kind = "error", item.message, "file-error"
    else:
        level, text, kind = "note", item.reason, "skipped-file"
    return {
        "descriptor": {"id": f"callguard/{kind}"},
        "level": level,
        "message": {"text": text or kind},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(item.path)}}}],
    }


def _invocation(result: ScanResult) -> dict[str, Any]:
    items: list[FileError | SkippedFile] = [*result.errors, *result.skipped]
    notifications = [_notification(item) for item in items]
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    invocation["properties"] = {
        "files_scanned": result.files_scanned,
        "suppressed": result.suppressed,
    }
    return invocation


def render(result: ScanResult, *, tool_version: str) -> dict[str, Any]:
    """Build the SARIF log as a dict (serialised by `callguard.reports.render`)."""
    taxonomies = Taxonomies(result.rules)
    rules = [_rule(meta, taxonomies) for meta in result.rules]
    rule_index: dict[str, int] = {}
    for index, meta in enumerate(result.rules):
        rule_index.setdefault(meta.id, index)  # first wins if a plugin repeats an id
    driver = {
        "name": "callguard",
        "semanticVersion": tool_version,
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    components = taxonomies.components()
    if components:
        driver["supportedTaxonomies"] = taxonomies.supported()
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [_invocation(result)],
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, rule_index) for finding in result.findings],
    }
    if components:
        # PCI DSS and HIPAA requirements as taxa; each rule relates to those it cites.
        run["taxonomies"] = components
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
