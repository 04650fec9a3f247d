"""`callguard scan` end to end: exit codes, reports, bad input, and no raw value in any output."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from callguard.cli import main

TEST_PANS = ("4111111111111111", "5555555555554444", "378282246310005")

CHAT_LOG = (
    "[09:14:02] Agent: Thanks for holding. Can I take the long number on the card?\n"
    "[09:14:09] Customer: yes, 4111 1111 1111 1111\n"
    "[09:14:15] Agent: Thank you, that's the Visa ending in 1111.\n"
)
CHAT_JSONL = (
    '{"ts": 1716800000, "author": "customer", "text": "use my mastercard 5555-5555-5555-4444"}\n'
    '{"ts": 1716800007, "author": "agent", "text": "order 4111 1111 1111 1112 is on its way"}\n'
)
CLEAN = "Agent: your order 4111 1111 1111 1112 ships today; call 415 555 0132 with questions.\n"


def run(*args: str, stdin: bytes | None = None) -> Result:
    """Run the CLI with the PCI profile unless the test names another (PHI rules also fire
    on the names and phone numbers of these conversations)."""
    arguments = list(args)
    if arguments[0] == "scan" and "--profile" not in arguments:
        arguments += ["--profile", "pci"]
    return CliRunner().invoke(main, arguments, input=stdin, catch_exceptions=False)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "chat.log").write_text(CHAT_LOG)
    (tmp_path / "logs" / "export.jsonl").write_text(CHAT_JSONL)
    (tmp_path / "logs" / "amex.txt.gz").write_bytes(
        gzip.compress(b"Agent: amex 3782 822463 10005\n")
    )
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "notes.txt").write_text(CLEAN)
    return tmp_path


def test_findings_exit_1_and_clean_exit_0(workdir: Path) -> None:
    assert run("scan", "logs").exit_code == 1
    assert run("scan", "clean").exit_code == 0


def test_fail_on_threshold(workdir: Path) -> None:
    assert run("scan", "logs", "--fail-on", "none").exit_code == 0
    assert run("scan", "logs", "--fail-on", "error").exit_code == 1


def test_json_report_points_at_each_card(workdir: Path) -> None:
    result = run("scan", "logs", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    found = set()
    for finding in findings:
        location = finding["locations"][0]
        raw = (workdir / finding["path"]).read_bytes()
        if finding["path"].endswith(".gz"):
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8")
        piece = text[location["char_offset"] : location["char_offset"] + location["char_length"]]
        found.add((finding["path"], piece))
    assert found == {
        ("logs/chat.log", "4111 1111 1111 1111"),
        ("logs/export.jsonl", "5555-5555-5555-4444"),
        ("logs/amex.txt.gz", "3782 822463 10005"),
    }


def test_malformed_json_is_an_error_and_the_rest_is_still_scanned(workdir: Path) -> None:
    (workdir / "logs" / "broken.json").write_text('{"messages": [{"text": "hi"}')
    result = run("scan", "logs", "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 2
    assert [e["path"] for e in report["errors"]] == ["logs/broken.json"]
    assert "malformed JSON" in report["errors"][0]["message"]
    assert len(report["findings"]) == 3


def test_binary_file_is_skipped_with_a_note(workdir: Path) -> None:
    (workdir / "clean" / "recording.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(64))
    result = run("scan", "clean", "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [s["path"] for s in report["skipped"]] == ["clean/recording.wav"]


def test_invalid_utf8_keeps_offsets_right(workdir: Path) -> None:
    raw = b"caller \xff\xfe said 4111 1111 1111 1111\n"
    (workdir / "clean" / "latin.txt").write_bytes(raw)
    report = json.loads(run("scan", "clean", "--format", "json").stdout)
    (finding,) = report["findings"]
    location = finding["locations"][0]
    decoded = raw.decode("utf-8", "surrogateescape")
    assert decoded[location["char_offset"] :].startswith("4111 1111 1111 1111")
    assert location["start_column"] == decoded.index("4111") + 1


def test_stdin(workdir: Path) -> None:
    result = run("scan", "-", "--format", "json", stdin=b"card 5555 5555 5555 4444\n")
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["path"] == "stdin"
    assert result.exit_code == 1


def test_missing_path_exits_2_with_one_line(workdir: Path) -> None:
    result = run("scan", "nowhere")
    assert result.exit_code == 2


def test_bad_config_exits_2_with_one_line(workdir: Path) -> None:
    (workdir / "callguard.toml").write_text('fail-on = "sometimes"\n')
    result = CliRunner().invoke(main, ["scan", "logs", "--profile", "pci"])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "fail-on must be none|note|warning|error" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_exits_2(workdir: Path) -> None:
    assert CliRunner().invoke(main, ["scan", "--format", "xml", "logs"]).exit_code == 2


def test_output_file_and_summary_written_inputs_untouched(workdir: Path) -> None:
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (workdir / "logs").iterdir()}
    result = run("scan", "logs", "--format", "sarif", "-o", "out.sarif", "--summary", "sum.json")
    assert result.exit_code == 1
    assert result.stdout == ""
    sarif = json.loads((workdir / "out.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == 3
    summary = json.loads((workdir / "sum.json").read_text())
    assert summary["by_rule"] == {"PCI001": 3}
    assert summary["files"] == {"scanned": 3, "skipped": 0, "failed": 0, "unchanged": 0}
    assert summary["by_requirement"]["PCI DSS v4.0 3.4.1"] == 3
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (workdir / "logs").iterdir()}
    assert before == after
    assert sorted(p.name for p in workdir.iterdir()) == ["clean", "logs", "out.sarif", "sum.json"]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_no_raw_card_number_in_any_output(workdir: Path, fmt: str) -> None:
    result = run("scan", "logs", "--format", fmt, "--summary", "sum.json")
    outputs = result.stdout + result.stderr + (workdir / "sum.json").read_text()
    for pan in TEST_PANS:
        assert pan not in outputs.replace(" ", "").replace("-", "")


def test_exclude_glob_and_rule_selection(workdir: Path) -> None:
    (workdir / "callguard.toml").write_text('exclude = ["*.jsonl", "*.gz"]\n')
    report = json.loads(run("scan", "logs", "--format", "json").stdout)
    assert [f["path"] for f in report["findings"]] == ["logs/chat.log"]
    result = run("scan", "logs", "--exclude-rules", "PCI001")
    assert result.exit_code == 0


def test_rules_catalogue_lists_citations() -> None:
    result = run("rules")
    assert "PCI001" in result.stdout
    assert "PCI DSS v4.0 3.4.1" in result.stdout
    catalogue = json.loads(run("rules", "--format", "json").stdout)
    assert {entry["id"] for entry in catalogue} >= {"PCI001"}


def test_progress_callback_names_each_input_in_order(workdir: Path) -> None:
    from callguard import Scanner

    seen: list[tuple[int, str]] = []
    Scanner(profile="pci").scan_paths(["logs"], progress=lambda n, p: seen.append((n, p)))
    assert seen == [(0, "logs/amex.txt.gz"), (1, "logs/chat.log"), (2, "logs/export.jsonl")]


@pytest.mark.parametrize("option", ["--output", "--summary", "--state"])
def test_a_file_that_cannot_be_written_fails_before_the_scan(workdir: Path, option: str) -> None:
    result = run("scan", "logs", option, "missing-dir/out.json")
    assert result.exit_code == 2
    assert result.stdout == ""  # no report: nothing was scanned
    assert result.stderr.strip() == (
        "callguard: error: missing-dir/out.json: cannot write: directory missing-dir does not exist"
    )
