"""The `callguard` command: parse options, call the library, choose the exit code.

Exit codes (a pipeline relies on them): 0 nothing at or above `--fail-on`; 1 findings at or
above it; 2 usage error, unreadable input or internal error, with one line on stderr (a
traceback only with `--debug`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from callguard import __version__
from callguard.config import FAIL_ON_NAMES, PROFILE_NAMES, Config, find_config, load_config
from callguard.errors import CallguardError
from callguard.model import ScanResult, Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


def _handle_errors(command: F) -> F:
    """Turn our errors into one line and exit 2; never print an exception's text otherwise."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except CallguardError as exc:
            if debug:
                raise
            click.echo(f"callguard: error: {exc}", err=True)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if debug:
                raise
            # Foreign exception texts can quote input (UnicodeDecodeError does): name the type only.
            click.echo(
                f"callguard: internal error ({exc.__class__.__name__}); rerun with --debug",
                err=True,
            )
        sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


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
@_handle_errors
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
) -> None:
    """Scan files, directories, stdin (-) or URLs and report findings.

    Formats are detected from content: plain text and logs, chat JSON/JSONL, Slack exports,
    AWS Transcribe, Call Analytics and Contact Lens, Deepgram, AssemblyAI, Whisper, Google
    STT and CCAI Insights, WebVTT, SRT, any JSON, and gzip of all of these.
    """
    from callguard.engine import Scanner
    from callguard.reports import render

    config = _config(config_path, only_rules, exclude_rules, fail_on)
    scanner = Scanner(profile=profile, config=config)
    result = scanner.scan_paths(list(targets) or ["."])
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    report = render(result, output_format, tool_version=__version__, color=color)
    if output is None:
        click.echo(report, nl=False)
    else:
        write_atomically(output, report)
    if summary_path is not None:
        write_atomically(summary_path, json.dumps(_summary(result), indent=2) + "\n")
    sys.exit(exit_code(result, config.fail_on))


@main.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option("--profile", type=click.Choice(PROFILE_NAMES), default="all", show_default=True)
@_handle_errors
def rules_command(output_format: str, profile: str) -> None:
    """List the rule catalogue: what each rule finds, why it matters, its citations."""
    from callguard.engine import Scanner

    metas = Scanner(profile=profile).rules
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


def write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file in the same directory and rename, so no reader sees half."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _config(
    config_path: Path | None, only_rules: str | None, exclude_rules: str | None, fail_on: str | None
) -> Config:
    path = config_path or find_config(Path.cwd())
    config = load_config(path) if path is not None else Config()
    changes: dict[str, Any] = {}
    if only_rules:
        changes["enable"] = _ids(only_rules)
    if exclude_rules:
        changes["disable"] = (*config.disable, *_ids(exclude_rules))
    if fail_on:
        changes["fail_on"] = fail_on
    return dataclasses.replace(config, **changes)


def _ids(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _summary(result: ScanResult) -> dict[str, Any]:
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
        "files": {
            "scanned": result.files_scanned,
            "skipped": len(result.skipped),
            "failed": len(result.errors),
        },
        "findings": len(result.findings),
        "suppressed": result.suppressed,
        "by_rule": count(lambda f: f.rule_id),
        "by_entity_type": count(lambda f: f.entity_type),
        "by_severity": count(lambda f: f.severity.value),
        "by_requirement": dict(sorted(by_requirement.items())),
    }
