"""`callguard report`: an HTML evidence page from run summaries, counts only, nothing raw."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from callguard.cli import main
from callguard.errors import InputError
from callguard.reports import evidence

CALLS = (
    "Agent: and the card number?\nCustomer: 4111 1111 1111 1111\n"
    "Agent: the three digits on the back?\nCustomer: seven three seven\n"
)


@pytest.fixture
def summaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Summaries of a real scan and a real redaction of the same call."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "call.txt").write_text(CALLS)
    runner = CliRunner()
    runner.invoke(main, ["scan", "calls", "--profile", "pci", "--summary", "scan.json"])
    runner.invoke(
        main, ["redact", "calls", "--profile", "pci", "--out", "clean", "--summary", "redact.json"]
    )
    return [tmp_path / "scan.json", tmp_path / "redact.json"]


def test_report_totals_findings_per_requirement_over_runs(summaries: Path) -> None:
    result = CliRunner().invoke(main, ["report", *map(str, summaries), "-o", "evidence.html"])
    assert result.exit_code == 0, result.stderr
    page = Path("evidence.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "Run: scan.json" in page
    assert "Run: redact.json" in page
    # The card (PCI001) cites 3.4.1 and the CVV (PCI010) 3.3.1; both runs found both.
    scan = json.loads(summaries[0].read_text())
    assert scan["by_requirement"]["PCI DSS v4.0 3.3.1"] == 1
    total_331 = '<tr><th>PCI DSS v4.0 3.3.1</th><td class="n">2</td></tr>'
    assert total_331 in page
    assert scan["started_at"] in page


def test_report_holds_no_value_or_preview(summaries: Path) -> None:
    page = evidence.render(evidence.load_summaries(summaries))
    for secret in ("4111", "1111", "737", "seven three seven", "****"):
        assert secret not in page


def test_values_from_a_summary_are_escaped() -> None:
    hostile = {"tool": "callguard", "by_rule": {"<img src=x>": 1}, "version": "<b>"}
    page = evidence.render(
        [("run<1>.json", hostile)], now=datetime(2026, 1, 1, tzinfo=timezone.utc)
    )
    assert "<img" not in page
    assert "&lt;img src=x&gt;" in page
    assert "Run: run&lt;1&gt;.json" in page


def test_a_file_that_is_not_a_summary_is_a_one_line_error(tmp_path: Path) -> None:
    sarif = tmp_path / "report.sarif"
    sarif.write_text('{"version": "2.1.0", "runs": []}')
    with pytest.raises(InputError, match="not a callguard run summary"):
        evidence.load_summaries([sarif])
    result = CliRunner().invoke(main, ["report", str(sarif), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert not (tmp_path / "x.html").exists()
