"""The terminal report: grep-able `path:line:col:` lines, colour only when asked for."""

from __future__ import annotations

import re

import pytest
from reports_helpers import BINARY, MALFORMED, RULES, SSN, VISA, clean_result, full_result

from callguard.model import FileError, Finding, Location, ScanResult, Severity
from callguard.reports import render
from callguard.reports.text import render as render_text

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_full_report_plain() -> None:
    assert render_text(full_result(), color=False).splitlines() == [
        "calls/2024-05-01/call 17.json:57:20: PCI001 [error] "
        "Visa card number (Luhn valid) spoken by spk_1 (411111******1111)",
        "    calls/2024-05-01/call 17.json:57:20 speaker=spk_1 audio=12.34-15.90s "
        "pointer=/results/transcripts/0/items/12/content",
        "chats/session-9.jsonl:4:31: PCI001 [error] "
        "Mastercard number said over 3 turns (555555******4444)",
        "    chats/session-9.jsonl:4:31 speaker=customer audio=31.00-33.50s "
        "pointer=/messages/3/text",
        "    chats/session-9.jsonl:5:12 speaker=customer audio=36.25-37.00s "
        "pointer=/messages/4/text",
        "    chats/session-9.jsonl:6:9 speaker=customer pointer=/messages/5/text",
        "notes/intake.txt:3:14: HIP007 [warning] Social Security number (***-**-6789)",
        "-:1:1: CFG002 [note] Transcripts are retained without redaction (redaction: none)",
        "exports/broken.json: error: malformed JSON at line 3 column 5: expected ','",
        "recordings/call-17.wav: skipped: binary content",
        "",
        "4 findings (2 error, 1 warning, 1 note) in 12 files; 1 file failed; 1 skipped; "
        "1 suppressed",
    ]


def test_no_ansi_codes_without_color() -> None:
    text = render(full_result(), "text", tool_version="0.1.0")
    assert "\x1b" not in text


def test_ansi_codes_with_color_and_same_text_underneath() -> None:
    colored = render_text(full_result(), color=True)
    plain = render_text(full_result(), color=False)
    assert "\x1b[31m[error]\x1b[0m" in colored
    assert "\x1b[33m[warning]\x1b[0m" in colored
    assert "\x1b[36m[note]\x1b[0m" in colored
    assert ANSI.sub("", colored) == plain


@pytest.mark.parametrize(
    ("result", "summary"),
    [
        pytest.param(clean_result(), "0 findings in 3 files", id="clean"),
        pytest.param(
            ScanResult(findings=(SSN,), files_scanned=1, rules=RULES),
            "1 finding (1 warning) in 1 file",
            id="singular",
        ),
        pytest.param(
            ScanResult(errors=(MALFORMED, MALFORMED), skipped=(BINARY,), files_scanned=0),
            "0 findings in 0 files; 2 files failed; 1 skipped",
            id="failures-only",
        ),
    ],
)
def test_summary_line(result: ScanResult, summary: str) -> None:
    assert render_text(result, color=False).splitlines()[-1] == summary


def test_single_location_without_context_has_no_detail_line() -> None:
    lines = render_text(ScanResult(findings=(SSN,), files_scanned=1), color=False).splitlines()
    assert lines[0].startswith("notes/intake.txt:3:14: HIP007 [warning]")
    assert lines[1] == ""


def test_control_characters_in_paths_and_messages_are_escaped() -> None:
    hostile = Finding(
        rule_id=VISA.rule_id,
        entity_type=VISA.entity_type,
        severity=Severity.ERROR,
        confidence=0.9,
        path="calls/\x1b[2Jevil\r.txt",
        locations=(Location(0, 16, 1, 1, 1, 17),),
        preview=VISA.preview,
        fingerprint=VISA.fingerprint,
        message="card\x9bnumber",
    )
    result = ScanResult(
        findings=(hostile,), errors=(FileError("bad\nname.json", "oops\x07"),), files_scanned=1
    )
    text = render_text(result, color=False)
    assert "\x1b" not in text
    assert "\r" not in text
    assert "\x9b" not in text
    assert "\x07" not in text
    assert "calls/\\x1b[2Jevil\\x0d.txt:1:1: PCI001 [error] card\\x9bnumber" in text
    assert "bad\\x0aname.json: error: oops\\x07" in text
