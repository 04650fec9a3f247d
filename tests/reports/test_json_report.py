"""The JSON report: the same facts as SARIF, in a stable, script-friendly shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from reports_helpers import MALFORMED, SPLIT_MASTERCARD, SSN, VISA, clean_result, full_result

from callguard.errors import ConfigError
from callguard.model import ScanResult
from callguard.reports import FORMATS, render


def _report(result: ScanResult | None = None) -> dict[str, Any]:
    text = render(result or full_result(), "json", tool_version="0.1.0")
    document: dict[str, Any] = json.loads(text)
    return document


def test_serialised_with_indent_unicode_and_trailing_newline() -> None:
    text = render(full_result(), "json", tool_version="0.1.0")
    assert text.endswith("}\n")
    assert text.startswith('{\n  "version": "0.1.0",\n  "tool": "callguard",')


def test_top_level_and_finding_keys_in_stable_order() -> None:
    report = _report()
    assert list(report) == ["version", "tool", "findings", "errors", "skipped", "summary"]
    assert list(report["findings"][0]) == [
        "rule_id",
        "entity_type",
        "severity",
        "confidence",
        "path",
        "preview",
        "fingerprint",
        "message",
        "locations",
    ]
    assert render(full_result(), "json", tool_version="0.1.0") == render(
        full_result(), "json", tool_version="0.1.0"
    )


def test_finding_carries_every_fact() -> None:
    visa = _report()["findings"][0]
    assert visa == {
        "rule_id": "PCI001",
        "entity_type": "CREDIT_CARD",
        "severity": "error",
        "confidence": 0.97,
        "path": "calls/2024-05-01/call 17.json",
        "preview": "411111******1111",
        "fingerprint": VISA.fingerprint,
        "message": VISA.message,
        "locations": [
            {
                "char_offset": 1834,
                "char_length": 19,
                "start_line": 57,
                "start_column": 20,
                "end_line": 57,
                "end_column": 39,
                "json_pointer": "/results/transcripts/0/items/12/content",
                "speaker": "spk_1",
                "audio_start": 12.34,
                "audio_end": 15.9,
            }
        ],
    }


def test_split_number_is_one_finding_with_every_location() -> None:
    split = _report()["findings"][1]
    assert split["fingerprint"] == SPLIT_MASTERCARD.fingerprint
    spans = [(loc["char_offset"], loc["char_length"]) for loc in split["locations"]]
    assert spans == [(210, 9), (298, 4), (371, 6)]
    # The third turn has no audio times: the keys are left out, not written as null.
    assert split["locations"][2] == {
        "char_offset": 371,
        "char_length": 6,
        "start_line": 6,
        "start_column": 9,
        "end_line": 7,
        "end_column": 2,
        "json_pointer": "/messages/5/text",
        "speaker": "customer",
    }


def test_plain_text_location_omits_absent_context() -> None:
    ssn = _report()["findings"][2]
    assert ssn["locations"] == [
        {
            "char_offset": SSN.location.char_offset,
            "char_length": 11,
            "start_line": 3,
            "start_column": 14,
            "end_line": 3,
            "end_column": 25,
        }
    ]
    assert "null" not in render(full_result(), "json", tool_version="0.1.0")


def test_errors_skips_and_summary() -> None:
    report = _report()
    assert report["errors"] == [{"path": MALFORMED.path, "message": MALFORMED.message}]
    assert MALFORMED.message == "malformed JSON at line 3 column 5: expected ','"
    assert report["skipped"] == [{"path": "recordings/call-17.wav", "reason": "binary content"}]
    assert report["summary"] == {
        "files_scanned": 12,
        "files_failed": 1,
        "files_skipped": 1,
        "files_unchanged": 0,
        "findings": 4,
        "suppressed": 1,
        "by_rule": {"CFG002": 1, "HIP007": 1, "PCI001": 2},
        "by_severity": {"error": 2, "warning": 1, "note": 1},
        "by_entity_type": {"CONFIG": 1, "CREDIT_CARD": 2, "US_SSN": 1},
    }


def test_clean_scan_summary_lists_every_severity() -> None:
    report = _report(clean_result())
    assert report["findings"] == []
    assert report["summary"]["by_severity"] == {"error": 0, "warning": 0, "note": 0}
    assert report["summary"]["by_rule"] == {}


def test_same_counts_and_locations_as_sarif() -> None:
    report = _report()
    sarif = json.loads(render(full_result(), "sarif", tool_version="0.1.0"))
    results = sarif["runs"][0]["results"]
    assert len(results) == report["summary"]["findings"]
    for finding, result in zip(report["findings"], results, strict=True):
        assert finding["rule_id"] == result["ruleId"]
        assert finding["fingerprint"] == result["partialFingerprints"]["callguard/v1"]
        regions = [loc["physicalLocation"]["region"] for loc in result["locations"]]
        assert [
            (r["charOffset"], r["charLength"], r["startLine"], r["startColumn"]) for r in regions
        ] == [
            (loc["char_offset"], loc["char_length"], loc["start_line"], loc["start_column"])
            for loc in finding["locations"]
        ]
    notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert len(notifications) == len(report["errors"]) + len(report["skipped"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_ends_with_one_newline(fmt: str) -> None:
    text = render(full_result(), fmt, tool_version="0.1.0")
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


def test_unknown_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"--format must be text\|json\|sarif, got 'xml'"):
        render(full_result(), "xml", tool_version="0.1.0")
