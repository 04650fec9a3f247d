"""`callguard redact` / `unredact` end to end: outputs, summary, exit codes, keys, --in-place."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from callguard.cli import main

from .conftest import KEY_HEX, ROOT, TEST_PANS, holds_test_pan

AWS = ROOT / "tests/fixtures/formats/aws-transcribe/bill-payment-diarized.json"
CHAT_LOG = "[09:14:09] Customer: yes, 4111 1111 1111 1111\n[09:14:15] Agent: thank you.\n"


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CALLGUARD_REDACTION_KEY", raising=False)
    calls = tmp_path / "calls"
    (calls / "aws").mkdir(parents=True)
    shutil.copy(AWS, calls / "aws" / "call.json")
    (calls / "chat.log").write_text(CHAT_LOG)
    (calls / "chat.log.gz").write_bytes(gzip.compress(CHAT_LOG.encode()))
    (calls / "clean.txt").write_text("Agent: your order ships today.\n")
    key = tmp_path / "redaction.key"
    key.write_text(KEY_HEX + "\n")
    key.chmod(0o600)
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_redact_writes_mirrored_tree_and_never_touches_inputs(workdir: Path) -> None:
    before = snapshot(workdir / "calls")
    result = run("redact", "calls", "--out", "red", "--profile", "pci", "--summary", "sum.json")
    assert result.exit_code == 0, result.stderr
    assert snapshot(workdir / "calls") == before
    written = snapshot(workdir / "red")
    assert set(written) == {
        "calls/aws/call.json",
        "calls/aws/call.mute.json",
        "calls/chat.log",
        "calls/chat.log.gz",
        "calls/clean.txt",
    }
    assert gzip.decompress(written["calls/chat.log.gz"]) == written["calls/chat.log"]
    assert written["calls/clean.txt"] == before["clean.txt"]
    summary = json.loads((workdir / "sum.json").read_text())
    assert summary["files"] == {"redacted": 3, "unchanged": 1, "skipped": 0, "failed": 0}
    assert summary["by_entity_type"] == {"CREDIT_CARD": summary["findings"]}
    everything = [*written.values(), (workdir / "sum.json").read_bytes(), result.stderr.encode()]
    for blob in everything:
        text = gzip.decompress(blob).decode() if blob[:2] == b"\x1f\x8b" else blob.decode()
        assert not holds_test_pan(text)


def test_unparseable_input_gets_no_output_and_exit_2(workdir: Path) -> None:
    (workdir / "calls" / "broken.json").write_text('{"results": {"items": [4111 1111')
    result = run("redact", "calls", "--out", "red", "--profile", "pci", "--summary", "sum.json")
    assert result.exit_code == 2
    assert not (workdir / "red" / "calls" / "broken.json").exists()
    assert (workdir / "red" / "calls" / "chat.log").exists()
    summary = json.loads((workdir / "sum.json").read_text())
    assert [entry["path"] for entry in summary["failed"]] == ["calls/broken.json"]
    assert "malformed JSON" in result.stderr
    assert not any(pan[:8] in result.stderr for pan in TEST_PANS)


def test_token_round_trip_through_the_cli(workdir: Path) -> None:
    result = run(
        "redact", "calls/aws/call.json", "--out", "red", "--profile", "pci",
        "--strategy", "token", "--key-file", "redaction.key",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    redacted = workdir / "red" / "calls" / "aws" / "call.json"
    assert "[[cg1:CREDIT_CARD:" in redacted.read_text()
    back = run("unredact", str(redacted), "--key-file", "redaction.key", "--out", "restored.json")
    assert back.exit_code == 0, back.stderr
    assert (workdir / "restored.json").read_bytes() == AWS.read_bytes()


def test_tampered_token_exits_2_and_writes_nothing(workdir: Path) -> None:
    run("redact", "calls/chat.log", "--out", "red", "--profile", "pci", "--strategy", "token",
        "--key-file", "redaction.key")  # fmt: skip
    redacted = workdir / "red" / "calls" / "chat.log"
    text = redacted.read_text()
    cut = text.index("[[cg1:") + 30
    redacted.write_text(text[:cut] + ("x" if text[cut] != "x" else "y") + text[cut + 1 :])
    back = run("unredact", str(redacted), "--key-file", "redaction.key", "--out", "restored.log")
    assert back.exit_code == 2
    assert "cannot be opened" in back.stderr
    assert not (workdir / "restored.log").exists()


def test_key_file_readable_by_others_is_refused(workdir: Path) -> None:
    (workdir / "redaction.key").chmod(0o644)
    result = run(
        "redact", "calls", "--out", "red", "--strategy", "hash", "--key-file", "redaction.key"
    )
    assert result.exit_code == 2
    assert "readable by other users" in result.stderr
    assert KEY_HEX not in result.stderr
    assert not (workdir / "red").exists()


def test_key_from_environment(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLGUARD_REDACTION_KEY", KEY_HEX)
    result = run("redact", "calls/chat.log", "--out", "-", "--profile", "pci", "--strategy", "hash")
    assert result.exit_code == 0
    assert "[CREDIT_CARD:hmac:" in result.stdout
    assert KEY_HEX not in result.stdout + result.stderr


def test_in_place_with_backup_is_atomic(workdir: Path) -> None:
    target = workdir / "calls" / "chat.log"
    target.chmod(0o640)
    result = run("redact", "calls/chat.log", "--in-place", "--backup", "--profile", "pci")
    assert result.exit_code == 0, result.stderr
    assert "[CREDIT_CARD]" in target.read_text()
    assert (workdir / "calls" / "chat.log.bak").read_text() == CHAT_LOG
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    leftovers = [p.name for p in (workdir / "calls").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_in_place_failure_leaves_the_input_whole(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callguard.redaction import policy

    monkeypatch.setattr(policy.Renderer, "render", lambda self, piece: piece.text)
    target = workdir / "calls" / "chat.log"
    result = run("redact", "calls/chat.log", "--in-place", "--profile", "pci")
    assert result.exit_code == 2
    assert "remain after redaction" in result.stderr
    assert target.read_text() == CHAT_LOG
    assert sorted(p.name for p in (workdir / "calls").iterdir()) == [
        "aws", "chat.log", "chat.log.gz", "clean.txt",
    ]  # fmt: skip


def test_stdin_to_stdout(workdir: Path) -> None:
    result = run("redact", "-", "--out", "-", "--profile", "pci", "--strategy", "partial",
                 stdin=CHAT_LOG.encode())  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout.startswith("[09:14:09] Customer: yes, 4111 11** **** 1111\n")


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["calls"], id="no-out-nor-in-place"),
        pytest.param(["calls", "--out", "red", "--in-place"], id="both"),
        pytest.param(["calls", "--out", "red", "--backup"], id="backup-without-in-place"),
        pytest.param(["calls", "--out", "-"], id="stdout-needs-one-file"),
    ],
)
def test_usage_errors_exit_2(workdir: Path, args: list[str]) -> None:
    assert run("redact", *args).exit_code == 2
    assert not (workdir / "red").exists()


def test_missing_key_for_token_is_a_usage_error(workdir: Path) -> None:
    result = run("redact", "calls", "--out", "red", "--profile", "pci", "--strategy", "token")
    assert result.exit_code == 2
    assert "need a key" in result.stderr


def test_no_temporary_files_are_left(workdir: Path) -> None:
    run("redact", "calls", "--out", "red", "--profile", "pci")
    assert not [p for p in (workdir / "red").rglob(".*") if p.is_file()]
    assert os.listdir(workdir / "red" / "calls")


def test_timed_transcript_to_stdout_needs_a_mute_dir(workdir: Path) -> None:
    """Stdout has no room for the sidecar: refusing beats leaving the recording unmuted."""
    result = run("redact", "calls/aws/call.json", "--out", "-", "--profile", "pci")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--mute-dir" in result.stderr
    assert not holds_test_pan(result.stderr)
    assert not list(workdir.rglob("*.mute.json"))


def test_stdout_with_mute_dir_writes_the_sidecar_there(workdir: Path) -> None:
    result = run("redact", "calls/aws/call.json", "--out", "-", "--profile", "pci",
                 "--mute-dir", "mutes")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"]["items"]
    assert not holds_test_pan(result.stdout)
    plan = json.loads((workdir / "mutes/calls/aws/call.mute.json").read_text())
    assert plan["ranges"]
    assert plan["source"] == "calls/aws/call.json"


def test_stdin_to_stdout_with_mute_dir(workdir: Path) -> None:
    args = ["redact", "-", "--out", "-", "--profile", "pci"]
    assert run(*args, stdin=AWS.read_bytes()).exit_code == 2
    result = run(*args, "--mute-dir", "mutes", stdin=AWS.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert json.loads((workdir / "mutes/stdin.mute.json").read_text())["ranges"]


def test_timed_transcript_with_nothing_to_mute_goes_to_stdout(workdir: Path) -> None:
    item = {"start_time": "0.5", "end_time": "0.9", "type": "pronunciation",
            "alternatives": [{"confidence": "0.99", "content": "hello"}]}  # fmt: skip
    body = {"results": {"transcripts": [{"transcript": "hello"}], "items": [item]}}
    (workdir / "calls" / "clean.json").write_text(json.dumps(body))
    result = run("redact", "calls/clean.json", "--out", "-", "--profile", "pci")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == body


def test_mute_dir_moves_sidecars_out_of_the_output_tree(workdir: Path) -> None:
    result = run("redact", "calls", "--out", "red", "--profile", "pci", "--mute-dir", "mutes")
    assert result.exit_code == 0, result.stderr
    assert not list((workdir / "red").rglob("*.mute.json"))
    assert (workdir / "mutes/calls/aws/call.mute.json").exists()


def test_a_summary_that_cannot_be_written_fails_before_any_output(workdir: Path) -> None:
    result = run("redact", "calls", "--out", "clean-out", "--summary", "missing/summary.json")
    assert result.exit_code == 2
    assert "missing/summary.json: cannot write: directory missing does not exist" in result.stderr
    assert not (workdir / "clean-out").exists()
