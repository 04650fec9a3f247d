"""Baselines: accept today's findings, fail only on new ones, never store a value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from callguard.cli import main

LOG = "Agent: go ahead\nCustomer: 4111 1111 1111 1111\n"
NEW_CARD = "Customer: and the other one is 5555 5555 5555 4444\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "call.txt").write_text(LOG)
    return tmp_path


def test_baselined_findings_are_not_reported_but_new_ones_are(repo: Path) -> None:
    assert run("baseline", "create", "logs", "-o", "baseline.json").exit_code == 0
    assert run("scan", "logs", "--baseline", "baseline.json").exit_code == 0
    (repo / "logs" / "call.txt").write_text("Agent: moved down a line\n" + LOG + NEW_CARD)
    result = run("scan", "logs", "--baseline", "baseline.json", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [f["preview"] for f in report["findings"]] == ["555555******4444"]


def test_baseline_holds_no_value_only_fingerprints(repo: Path) -> None:
    run("baseline", "create", "logs", "-o", "baseline.json")
    text = (repo / "baseline.json").read_text()
    document = json.loads(text)
    assert "4111111111111111" not in text
    assert "411111" not in text
    (entry,) = document["results"]
    assert entry["path"] == "logs/call.txt"
    assert entry["rule_id"] == "PCI001"
    assert entry["line"] == 2
    assert len(entry["fingerprint"]) == 32


def test_update_adds_new_and_drops_stale_keeping_notes(repo: Path) -> None:
    run("baseline", "create", "logs", "-o", "baseline.json")
    document = json.loads((repo / "baseline.json").read_text())
    document["results"][0]["note"] = "test card in a fixture"
    (repo / "baseline.json").write_text(json.dumps(document))
    (repo / "logs" / "call.txt").write_text(LOG + NEW_CARD)
    assert run("baseline", "update", "logs", "-o", "baseline.json").exit_code == 0
    entries = json.loads((repo / "baseline.json").read_text())["results"]
    assert [(e["line"], e.get("note")) for e in entries] == [
        (2, "test card in a fixture"),
        (3, None),
    ]
    (repo / "logs" / "call.txt").write_text(NEW_CARD)
    run("baseline", "update", "logs", "-o", "baseline.json")
    entries = json.loads((repo / "baseline.json").read_text())["results"]
    assert [e["line"] for e in entries] == [1]


def test_baseline_needs_a_stable_key(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLGUARD_FINGERPRINT_KEY")
    result = run("baseline", "create", "logs", "-o", "baseline.json")
    assert result.exit_code == 2
    assert "CALLGUARD_FINGERPRINT_KEY" in result.stderr
    assert not (repo / "baseline.json").exists()


def test_baseline_from_another_key_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("baseline", "create", "logs", "-o", "baseline.json")
    monkeypatch.setenv("CALLGUARD_FINGERPRINT_KEY", "ff" * 32)
    result = run("scan", "logs", "--baseline", "baseline.json")
    assert result.exit_code == 2
    assert "another fingerprint key" in result.stderr


def test_corrupt_baseline_is_a_one_line_error(repo: Path) -> None:
    (repo / "baseline.json").write_text("{not json")
    result = run("scan", "logs", "--baseline", "baseline.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("callguard: error: baseline.json: baseline is not valid JSON")
