"""The `callguard` command: parse options, call the library, choose the exit code.

Exit codes (a pipeline relies on them): 0 nothing at or above `--fail-on`; 1 findings at or
above it; 2 usage error, unreadable input or internal error, with one line on stderr (a
traceback only with `--debug`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from callguard import __version__
from callguard.atomic import check_writable
from callguard.cli_support import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    handle_errors,
    resolve_config,
    write_atomically,
)
from callguard.config import FAIL_ON_NAMES, PROFILE_NAMES
from callguard.errors import CallguardError
from callguard.model import ScanResult, Severity
from callguard.redaction.cli import redact, unredact

if TYPE_CHECKING:
    from callguard.baseline import Baseline


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="callguard")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def main(debug: bool) -> None:
    """Find card data (PCI DSS) and PHI (HIPAA) in transcripts, chat logs and configs."""


@main.command()
@click.argument("targets", nargs=-1, metavar="[PATH|URL|-]...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report here (atomically) instead of stdout.",
)
@click.option("--profile", type=click.Choice(PROFILE_NAMES), help="Rule set [default: all].")
@click.option("--rules", "only_rules", help="Comma-separated rule ids to run (only these).")
@click.option("--exclude-rules", help="Comma-separated rule ids to skip.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_NAMES),
    help="Exit 1 on findings at or above this severity [default: warning].",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="callguard.toml or pyproject.toml to use (default: found from the cwd up).",
)
@click.option(
    "--summary",
    "summary_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a machine-readable run summary (JSON) here.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Do not report findings accepted in this baseline (see `callguard baseline`).",
)
@click.option(
    "--since",
    metavar="GIT_REV",
    help="Scan only files changed since this git revision (and new ones), e.g. origin/main.",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Skip inputs an earlier run with the same rules scanned and that did not change; "
    "record this run's (for nightly runs: incremental and resumable).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Scan in this many processes (0: one per CPU); the report is the same.",
)
@handle_errors
def scan(
    targets: tuple[str, ...],
    output_format: str,
    output: Path | None,
    profile: str | None,
    only_rules: str | None,
    exclude_rules: str | None,
    fail_on: str | None,
    config_path: Path | None,
    summary_path: Path | None,
    baseline_path: Path | None,
    since: str | None,
    state_path: Path | None,
    workers: int,
) -> None:
    """Scan files, directories, stdin (-) or URLs and report findings.

    Formats are detected from content: plain text and logs, chat JSON/JSONL, Slack exports,
    AWS Transcribe, Call Analytics and Contact Lens, Deepgram, AssemblyAI, Whisper, Google
    STT and CCAI Insights, WebVTT, SRT, any JSON, and gzip of all of these.
    """
    from callguard.engine import Scanner
    from callguard.reports import render

    config = resolve_config(config_path, only_rules, exclude_rules, fail_on)
    for destination in (output, summary_path):
        if destination is not None:
            check_writable(destination)  # fail now, not after the scan
    scanner = Scanner(profile=profile, config=config)
    started = time.monotonic()
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    reporter = ProgressLine() if sys.stderr.isatty() else None
    result = scanner.scan_paths(
        list(targets) or ["."],
        progress=reporter,
        workers=workers,
        since=since,
        state_file=state_path,
    )
    if reporter is not None:
        reporter.clear()
    if baseline_path is not None:
        result = _without_baselined(result, baseline_path, scanner.fingerprint_key_id)
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    report = render(result, output_format, tool_version=__version__, color=color)
    if output is None:
        click.echo(report, nl=False)
    else:
        write_atomically(output, report)
    if output is not None or output_format != "text":
        for problem in result.errors:  # a pipeline's log shows why the exit code is 2
            click.echo(f"callguard: {problem.path}: {problem.message}", err=True)
    if summary_path is not None:
        duration = time.monotonic() - started
        summary = _summary(result, duration=duration, started_at=started_at)
        write_atomically(summary_path, json.dumps(summary, indent=2) + "\n")
    sys.exit(exit_code(result, config.fail_on))


@main.group("baseline")
def baseline_group() -> None:
    """Accept today's findings so that only new ones fail a pipeline.

    A baseline stores (path, rule id, keyed fingerprint) per finding, never a value. It needs a
    stable fingerprint key: set CALLGUARD_FINGERPRINT_KEY (or fingerprint-key-file).
    """


@baseline_group.command("create")
@click.argument("targets", nargs=-1, metavar="[PATH|URL|-]...")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--profile", type=click.Choice(PROFILE_NAMES), help="Rule set [default: all].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def baseline_create(
    targets: tuple[str, ...], output: Path, profile: str | None, config_path: Path | None
) -> None:
    """Write a new baseline of every current finding."""
    _write_baseline(targets, output, profile, config_path, previous=None)


@baseline_group.command("update")
@click.argument("targets", nargs=-1, metavar="[PATH|URL|-]...")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--profile", type=click.Choice(PROFILE_NAMES), help="Rule set [default: all].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def baseline_update(
    targets: tuple[str, ...], output: Path, profile: str | None, config_path: Path | None
) -> None:
    """Add new findings to the baseline in OUTPUT and drop entries no longer found."""
    from callguard import baseline

    previous = baseline.load(output) if output.exists() else None
    _write_baseline(targets, output, profile, config_path, previous=previous)


@main.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option("--profile", type=click.Choice(PROFILE_NAMES), default="all", show_default=True)
@handle_errors
def rules_command(output_format: str, profile: str) -> None:
    """List the rule catalogue: what each rule finds, why it matters, its citations."""
    from callguard.engine import Scanner

    metas = sorted(Scanner(profile=profile).rules, key=lambda meta: meta.id)
    if output_format == "json":
        entries = [dataclasses.asdict(meta) for meta in metas]
        click.echo(json.dumps(entries, indent=2, default=str))
        return
    for meta in metas:
        click.echo(f"{meta.id}  {meta.title}  [{meta.severity.value}, {meta.entity_type}]")
        click.echo(f"    What: {meta.what}")
        click.echo(f"    Why:  {meta.why}")
        click.echo(f"    Cite: {'; '.join(meta.cite)}")
        click.echo("")


@main.command("report")
@click.argument(
    "summaries",
    nargs=-1,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="SUMMARY.json...",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write (atomically).",
)
@handle_errors
def report_command(summaries: tuple[Path, ...], output: Path) -> None:
    """Write an audit evidence report (one HTML page) from `--summary` files of runs.

    Counts per requirement, rule, severity and entity type, files scanned or redacted, tool
    version, start time and duration of each run; never a value, preview or fingerprint.
    """
    from callguard.reports import evidence

    page = evidence.render(evidence.load_summaries(list(summaries)))
    write_atomically(output, page)
    click.echo(f"wrote {output} from {len(summaries)} run summaries", err=True)


class ProgressLine:
    """One self-erasing stderr line ("scanning 1,204 files… path"), at most 4 updates a second.

    Shown only on a terminal; it names files, never their content.
    """

    def __init__(self) -> None:
        self._last = 0.0
        self._shown = False

    def __call__(self, count: int, path: str) -> None:
        now = time.monotonic()
        if now - self._last < 0.25:
            return
        self._last = now
        width = shutil.get_terminal_size().columns - 1
        line = f"scanning {count:,} files… {path}"[:width]
        click.echo(f"\r\x1b[K{line}", err=True, nl=False)
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            click.echo("\r\x1b[K", err=True, nl=False)


def exit_code(result: ScanResult, fail_on: str) -> int:
    """2 if any input failed, else 1 if a finding reaches `fail_on`, else 0."""
    if result.errors:
        return EXIT_ERROR
    if fail_on == "none":
        return EXIT_CLEAN
    threshold = Severity(fail_on).rank
    if any(finding.severity.rank >= threshold for finding in result.findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _without_baselined(result: ScanResult, path: Path, key_id: str) -> ScanResult:
    from callguard import baseline

    accepted = baseline.load(path)
    if accepted.key_id != key_id:
        raise CallguardError(
            f"{path}: baseline was made with another fingerprint key; "
            "set CALLGUARD_FINGERPRINT_KEY to the key used for it"
        )
    kept = tuple(finding for finding in result.findings if not accepted.contains(finding))
    return dataclasses.replace(result, findings=kept, baselined=len(result.findings) - len(kept))


def _write_baseline(
    targets: tuple[str, ...],
    output: Path,
    profile: str | None,
    config_path: Path | None,
    *,
    previous: Baseline | None,
) -> None:
    from callguard import baseline
    from callguard.engine import Scanner

    config = resolve_config(config_path, None, None, None)
    scanner = Scanner(profile=profile, config=config)
    if not scanner.fingerprints_are_stable:
        raise CallguardError(
            "a baseline needs a stable fingerprint key: set CALLGUARD_FINGERPRINT_KEY "
            "(64 hex digits) or fingerprint-key-file in the configuration"
        )
    if previous is not None and previous.key_id != scanner.fingerprint_key_id:
        raise CallguardError(f"{output}: baseline was made with another fingerprint key")
    result = scanner.scan_paths(list(targets) or ["."])
    if result.errors:
        raise CallguardError(
            f"{len(result.errors)} input(s) could not be read (first: {result.errors[0].message})"
        )
    accepted = baseline.from_findings(
        result.findings, key_identifier=scanner.fingerprint_key_id, previous=previous
    )
    write_atomically(output, baseline.dump(accepted, tool_version=__version__))
    click.echo(f"baseline: {len(accepted.entries)} finding(s) accepted in {output}", err=True)


def _summary(result: ScanResult, *, duration: float, started_at: str) -> dict[str, Any]:
    def count(key: Callable[[Any], str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in result.findings:
            counts[key(finding)] = counts.get(key(finding), 0) + 1
        return dict(sorted(counts.items()))

    citations = {meta.id: meta.cite for meta in result.rules}
    by_requirement: dict[str, int] = {}
    for finding in result.findings:
        for requirement in citations.get(finding.rule_id, ()):
            by_requirement[requirement] = by_requirement.get(requirement, 0) + 1
    return {
        "tool": "callguard",
        "version": __version__,
        "command": "scan",
        "started_at": started_at,
        "files": {
            "scanned": result.files_scanned,
            "skipped": len(result.skipped),
            "failed": len(result.errors),
            "unchanged": result.files_unchanged,
        },
        "findings": len(result.findings),
        "suppressed": result.suppressed,
        "baselined": result.baselined,
        "duration_seconds": round(duration, 3),
        "by_rule": count(lambda f: f.rule_id),
        "by_entity_type": count(lambda f: f.entity_type),
        "by_severity": count(lambda f: f.severity.value),
        "by_requirement": dict(sorted(by_requirement.items())),
    }


main.add_command(redact)
main.add_command(unredact)
