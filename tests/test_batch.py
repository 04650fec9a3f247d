"""Scanning many inputs in worker processes gives the same result as scanning them in order."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from callguard import Scanner
from callguard.cli import main
from callguard.privacy import FINGERPRINT_KEY_ENV

CALLS = {
    "calls/a.txt": "Agent: the long number please?\nCustomer: 4111 1111 1111 1111\n",
    "calls/b.txt": "Customer: it's four one one one, one one one one, one one one one, "
    "one one one one\n",
    "calls/c.jsonl": '{"author": "customer", "text": "mastercard 5555-5555-5555-4444"}\n',
    "calls/d.txt": "Agent: your order 4111 1111 1111 1112 ships today.\n",
    "calls/e.json": '{"messages": [{"text": "hi"}',  # malformed: an error, the rest scans
    "calls/f.txt": "Customer: same card again, 4111 1111 1111 1111\n",
    "calls/g.wav": "RIFF\x00\x00\x00\x00WAVEfmt \x00\x00\x00\x00",  # binary: skipped
}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in CALLS.items():
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    return tmp_path


def _facts(result: object) -> tuple[object, ...]:
    findings = [
        (f.path, f.rule_id, f.fingerprint, [loc.char_offset for loc in f.locations])
        for f in result.findings  # type: ignore[attr-defined]
    ]
    return (
        findings,
        result.errors,  # type: ignore[attr-defined]
        result.skipped,  # type: ignore[attr-defined]
        result.files_scanned,  # type: ignore[attr-defined]
    )


def test_workers_find_the_same_as_one_process_in_the_same_order(store: Path) -> None:
    scanner = Scanner(profile="pci")
    in_order = scanner.scan_paths(["calls"])
    in_workers = scanner.scan_paths(["calls"], workers=2)
    assert _facts(in_workers) == _facts(in_order)
    assert [f.path for f in in_order.findings] == [
        "calls/a.txt",
        "calls/b.txt",
        "calls/c.jsonl",
        "calls/f.txt",
    ]
    assert [e.path for e in in_order.errors] == ["calls/e.json"]
    assert [s.path for s in in_order.skipped] == ["calls/g.wav"]


def test_workers_share_the_run_key_when_none_is_configured(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a configured key each run draws one: every worker must use that same one, or
    the same card would get other fingerprints in other files."""
    monkeypatch.delenv(FINGERPRINT_KEY_ENV, raising=False)
    scanner = Scanner(profile="pci")
    in_order = {f.path: f.fingerprint for f in scanner.scan_paths(["calls"]).findings}
    in_workers = {f.path: f.fingerprint for f in scanner.scan_paths(["calls"], workers=3).findings}
    assert in_workers == in_order
    assert in_order["calls/a.txt"] == in_order["calls/f.txt"]


def test_a_scanner_with_rule_objects_cannot_use_workers(store: Path) -> None:
    rules = [rule for rule in Scanner(profile="pci")._rules]
    with pytest.raises(ValueError, match="rules="):
        Scanner(rules=rules).scan_paths(["calls"], workers=2)


def test_cli_workers_report_is_byte_identical(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FINGERPRINT_KEY_ENV, "ab" * 32)
    runner = CliRunner()
    one = runner.invoke(main, ["scan", "calls", "--profile", "pci", "--format", "sarif"])
    two = runner.invoke(
        main, ["scan", "calls", "--profile", "pci", "--format", "sarif", "--workers", "2"]
    )
    assert (one.exit_code, two.exit_code) == (2, 2)  # the malformed file
    assert two.stdout == one.stdout
    assert len(json.loads(one.stdout)["runs"][0]["results"]) == 4


def test_cli_names_a_failed_input_on_stderr_when_the_report_goes_elsewhere(store: Path) -> None:
    result = CliRunner().invoke(
        main, ["scan", "calls", "--profile", "pci", "--workers", "0", "-o", "report.txt"]
    )
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("callguard: calls/e.json: malformed JSON at line 1 column 29")


# -- --since GIT_REV: only what changed ---------------------------------------------------------


def _git(repo: Path, *arguments: str) -> None:
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", "-C", str(repo), *identity, *arguments], check=True, capture_output=True)


@pytest.fixture
def repo(store: Path) -> Path:
    """A repository whose first commit holds the calls; then one is edited, one added."""
    _git(store, "init", "-q")
    _git(store, "add", ".")
    _git(store, "commit", "-q", "-m", "calls")
    (store / "calls" / "f.txt").write_text("Customer: a new card 5555 5555 5555 4444\n")
    (store / "calls" / "h.txt").write_text("Agent: amex 3782 822463 10005, thanks\n")
    (store / "calls" / "ignored.txt").write_text("Customer: 4111 1111 1111 1111\n")
    (store / ".gitignore").write_text("calls/ignored.txt\n")
    return store


def test_since_scans_only_files_changed_or_added_since_the_revision(repo: Path) -> None:
    result = Scanner(profile="pci").scan_paths(["calls"], since="HEAD")
    assert [f.path for f in result.findings] == ["calls/f.txt", "calls/h.txt"]
    assert result.files_scanned == 2
    assert result.errors == ()  # the malformed e.json did not change: not read


def test_since_an_unknown_revision_is_a_one_line_error(repo: Path) -> None:
    result = CliRunner().invoke(main, ["scan", "calls", "--since", "no-such-branch"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("callguard: error: --since: git rev-parse failed in ")
    assert "unknown revision" in line


# -- --state FILE: incremental, resumable -------------------------------------------------------


def test_state_skips_unchanged_inputs_and_rescans_changed_ones(store: Path) -> None:
    state = store / "scan-state.json"
    scanner = Scanner(profile="pci")
    first = scanner.scan_paths(["calls"], state_file=state)
    assert (first.files_scanned, first.files_unchanged, len(first.findings)) == (5, 0, 4)

    second = scanner.scan_paths(["calls"], state_file=state)
    assert (second.files_scanned, second.files_unchanged, second.findings) == (0, 6, ())
    assert [e.path for e in second.errors] == ["calls/e.json"]  # failures are tried again

    (store / "calls" / "d.txt").write_text("Customer: now it's 5105 1051 0510 5100, thanks\n")
    third = scanner.scan_paths(["calls"], state_file=state)
    assert [f.path for f in third.findings] == ["calls/d.txt"]
    assert (third.files_scanned, third.files_unchanged) == (1, 5)


def test_state_of_other_rules_rescans_everything(store: Path) -> None:
    state = store / "scan-state.json"
    Scanner(profile="pci").scan_paths(["calls"], state_file=state)
    again = Scanner(profile="all").scan_paths(["calls"], state_file=state)
    assert (again.files_scanned, again.files_unchanged) == (5, 0)


def test_interrupted_run_resumes_where_it_stopped(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("callguard.state.SAVE_EVERY", 1)
    state = store / "scan-state.json"

    def stop_at_the_fourth(count: int, path: str) -> None:
        if count == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Scanner(profile="pci").scan_paths(["calls"], state_file=state, progress=stop_at_the_fourth)
    recorded = json.loads(state.read_text())["inputs"]
    assert sorted(recorded) == ["calls/a.txt", "calls/b.txt", "calls/c.jsonl"]
    resumed = Scanner(profile="pci").scan_paths(["calls"], state_file=state)
    assert [f.path for f in resumed.findings] == ["calls/f.txt"]
    assert resumed.files_unchanged == 3


def test_cli_state_file_says_what_was_unchanged_and_holds_no_values(store: Path) -> None:
    runner = CliRunner()
    arguments = ["scan", "calls", "--profile", "pci", "--state", "state.json"]
    assert runner.invoke(main, arguments).exit_code == 2  # e.json is malformed
    again = runner.invoke(main, [*arguments, "--workers", "2"])
    assert again.stdout.splitlines()[-1].endswith("6 unchanged since the last run")
    saved = json.loads((store / "state.json").read_text())
    # Only each input's size and modification time are kept: nothing read from inside a file.
    # (A four-digit search of the raw text would fail on nanosecond times that hold "4111".)
    assert set(saved["inputs"]) == set(CALLS) - {"calls/e.json"}  # failures are retried
    assert all(re.fullmatch(r"file:\d+:\d+", kept) for kept in saved["inputs"].values())
    for card in ("4111 1111 1111 1111", "5555-5555-5555-4444", "4111111111111111"):
        assert card not in json.dumps(saved)


def test_a_state_file_that_is_not_one_is_an_error(store: Path) -> None:
    (store / "state.json").write_text('{"hello": 1}')
    result = CliRunner().invoke(main, ["scan", "calls", "--state", "state.json"])
    assert result.exit_code == 2
    expected = "state.json: not a callguard scan state; name a new file or delete it"
    assert result.stderr.strip() == f"callguard: error: {expected}"


def test_state_of_an_edited_custom_rule_pack_rescans_everything(store: Path) -> None:
    from callguard.config import Config
    from callguard.registry import load_pack

    pack = store / "pack.yaml"
    entry = (
        "- id: TEST001\n  title: t\n  entity_type: CREDIT_CARD\n  severity: error\n"
        "  profiles: [pci]\n  patterns: [{name: d, regex: 'X(\\d{4})'}]\n  what: w\n  why: y\n"
        '  cite: ["PCI DSS v4.0 3.4.1"]\n  examples: {bad: ["X1234"], good: ["x"]}\n'
    )
    pack.write_text(entry)
    load_pack(pack)  # valid
    state = store / "scan-state.json"
    config = Config(rule_packs=(pack,))
    Scanner(profile="pci", config=config).scan_paths(["calls"], state_file=state)
    pack.write_text(entry.replace("X(", "Y("))
    again = Scanner(profile="pci", config=config).scan_paths(["calls"], state_file=state)
    assert (again.files_scanned, again.files_unchanged) == (5, 0)
