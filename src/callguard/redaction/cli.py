"""`callguard redact` and `callguard unredact`: registered on the main group by callguard.cli.

Inputs are never modified unless `--in-place`. Every output is written to a temporary file
beside its destination, read back and compared with the verified result, then renamed: a
reader never sees half a file, and a failed input leaves nothing behind. Exit codes: 0 every
input redacted (or clean) and verified; 2 usage error, or any input failed (listed in
`--summary` and on stderr, one line each).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from callguard.atomic import check_writable
from callguard.cli_support import (
    EXIT_CLEAN,
    EXIT_ERROR,
    handle_errors,
    resolve_config,
    write_atomically,
)
from callguard.config import PROFILE_NAMES
from callguard.errors import InputError
from callguard.model import FileError
from callguard.redaction.core import DEFAULT_MARGIN
from callguard.redaction.mute import needs_muting
from callguard.redaction.outputs import (
    RunLog,
    Target,
    mute_path,
    targets_with_outputs,
    write_bytes_atomically,
    write_in_place,
)

if TYPE_CHECKING:
    from callguard.redaction.core import RedactionResult, Redactor


@click.command("redact")
@click.argument("targets", nargs=-1, metavar="[PATH|URL|-]...")
@click.option("--out", "out", help="Directory for the redacted copies, or - for stdout.")
@click.option("--profile", type=click.Choice(PROFILE_NAMES), help="Rule set [default: all].")
@click.option(
    "--strategy",
    default="tag",
    show_default=True,
    help="tag|mask|partial|hash|token|keep, or per type: CREDIT_CARD=partial,default=tag.",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Key for hash/token (chmod 600); else CALLGUARD_REDACTION_KEY.",
)
@click.option("--in-place", is_flag=True, help="Replace the inputs themselves (atomically).")
@click.option("--backup", is_flag=True, help="With --in-place: keep each original as NAME.bak.")
@click.option(
    "--margin",
    type=click.FloatRange(min=0),
    default=DEFAULT_MARGIN,
    show_default=True,
    help="Seconds of padding around each muted audio range.",
)
@click.option(
    "--mute-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the NAME.mute.json sidecars here, mirroring input paths, not beside the"
    " outputs. Needed with --out - when a timed transcript had values redacted.",
)
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def redact(
    targets: tuple[str, ...],
    out: str | None,
    profile: str | None,
    strategy: str,
    key_file: Path | None,
    in_place: bool,
    backup: bool,
    margin: float,
    mute_dir: Path | None,
    summary_path: Path | None,
    config_path: Path | None,
) -> None:
    """Write redacted copies of transcripts, chats and logs, in the same format.

    Beside each redacted transcript with audio times (or under --mute-dir), NAME.mute.json
    lists the time ranges to silence in the recording. Stdout has no room for it: with
    --out -, a timed transcript with redacted values fails (exit 2, nothing written) unless
    --mute-dir is given. Tokens of the `token` strategy are undone by `callguard unredact`.
    """
    from callguard.redaction.core import Redactor
    from callguard.redaction.keys import load_key

    if in_place == (out is not None):
        raise click.UsageError("give exactly one of --out DIR|- and --in-place")
    if backup and not in_place:
        raise click.UsageError("--backup needs --in-place")
    if summary_path is not None:
        check_writable(summary_path)  # fail now, not after every file is redacted
    started = time.monotonic()
    config = resolve_config(config_path, None, None, None)
    redactor = Redactor(
        profile=profile, config=config, strategy=strategy, key=load_key(key_file), margin=margin
    )
    entries = targets_with_outputs(list(targets) or ["."], config)
    if out == "-" and len(entries) != 1:
        raise click.UsageError("--out - writes one input to stdout; name exactly one file")
    log = RunLog()
    where = _Where(out, in_place, backup, mute_dir)
    for entry in entries:
        if isinstance(entry, FileError):
            log.fail(entry.path, entry.message)
        else:
            _redact_one(redactor, entry, where, log)
    if summary_path is not None:
        summary = log.summary(redactor, duration=time.monotonic() - started)
        write_atomically(summary_path, json.dumps(summary, indent=2) + "\n")
    click.echo(log.line(out), err=True)
    sys.exit(EXIT_ERROR if log.failed else EXIT_CLEAN)


@dataclass(frozen=True)
class _Where:
    """Where outputs and mute sidecars go: --out DIR or -, or --in-place; --mute-dir."""

    out: str | None
    in_place: bool
    backup: bool
    mute_dir: Path | None


def _redact_one(redactor: Redactor, entry: Target, where: _Where, log: RunLog) -> None:
    from callguard.formats import BinaryInput

    path = entry.artifact.path
    try:
        result = redactor.redact_bytes(entry.artifact.read(), path=path)
        _write(entry, result, where, log)
    except BinaryInput as exc:
        log.skip(path, str(exc))
        return
    except OSError as exc:
        log.fail(path, f"{path}: cannot write ({getattr(exc, 'strerror', None) or 'error'})")
        return
    except InputError as exc:  # RedactionError is one too
        log.fail(path, str(exc))
        return
    log.done(result)


def _write(entry: Target, result: RedactionResult, where: _Where, log: RunLog) -> None:
    """The redacted copy, and its mute sidecar first: a transcript is never written unmuted."""
    path = entry.artifact.path
    if where.out == "-":
        if where.mute_dir is None and needs_muting(result.mute):
            raise InputError(
                f"{path}: values said at known times were redacted, and stdout has no room"
                " for the mute sidecar; give --mute-dir DIR (the recording must be muted"
                " too); nothing written"
            )
        if where.mute_dir is not None:
            _write_mute(where.mute_dir / entry.relative, result.mute, log)
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
    elif where.in_place:
        if entry.local is None:
            raise InputError(f"{path}: --in-place works on local files only")
        sidecar = entry.local if where.mute_dir is None else where.mute_dir / entry.relative
        _write_mute(sidecar, result.mute, log)
        write_in_place(entry.local, result.data, backup=where.backup, changed=result.changed)
    else:
        destination = Path(where.out or ".") / entry.relative
        sidecar = destination if where.mute_dir is None else where.mute_dir / entry.relative
        _write_mute(sidecar, result.mute, log)
        write_bytes_atomically(destination, result.data)


def _write_mute(beside: Path, plan: dict[str, object] | None, log: RunLog) -> None:
    """`plan` as NAME.mute.json next to the path `beside` (made up of the output's name)."""
    if plan is not None:
        sidecar = mute_path(beside, log.sidecars)
        sidecar.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(sidecar, json.dumps(plan, indent=2) + "\n")


@click.command("unredact")
@click.argument("path", metavar="PATH|-")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, help="File to write, or - for stdout.")
@handle_errors
def unredact(path: str, key_file: Path | None, out: str) -> None:
    """Restore the pieces the `token` strategy encrypted, given the same key.

    A token that was altered, or made with another key, stops the file: nothing is written.
    """
    from callguard.redaction.keys import load_key
    from callguard.redaction.restore import unredact as restore

    data = sys.stdin.buffer.read() if path == "-" else _read(path)
    restored = restore(data, path=path, key=load_key(key_file))
    if out == "-":
        sys.stdout.buffer.write(restored)
        sys.stdout.buffer.flush()
    else:
        write_bytes_atomically(Path(out), restored)


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
