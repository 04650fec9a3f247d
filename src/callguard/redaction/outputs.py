"""Where redacted copies go, how they are written, and what the run summary says.

Outputs mirror the inputs' relative paths under `--out` (`logs/chat.log` -> `OUT/logs/chat.log`);
a file given outside the working directory keeps its path below the directory it was named
with, or just its name. Every write goes to a temporary file in the destination directory, is
read back and compared with the verified bytes, and only then renamed into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import click

from callguard import __version__
from callguard.config import Config
from callguard.model import FileError, Finding
from callguard.sources import STDIN, Artifact, display_path, iter_artifacts

if TYPE_CHECKING:
    from callguard.redaction.core import RedactionResult, Redactor


@dataclass(frozen=True)
class Target:
    """One input, where its copy goes under `--out`, and the file itself for `--in-place`."""

    artifact: Artifact
    relative: PurePosixPath
    local: Path | None


def targets_with_outputs(targets: Sequence[str], config: Config) -> list[Target | FileError]:
    """Expand targets; a missing one becomes a FileError, reported as a failed input."""
    entries: list[Target | FileError] = []
    for target in targets:
        errors: list[FileError] = []
        for artifact in iter_artifacts(
            [target], include=config.include, exclude=config.exclude, errors=errors
        ):
            local = None if target == STDIN or "://" in target else Path(artifact.path)
            entries.append(Target(artifact, _relative(target, artifact.path), local))
        entries.extend(errors)
    return entries


def _relative(target: str, path: str) -> PurePosixPath:
    if target == STDIN:
        return PurePosixPath("stdin")
    if "://" in target:
        root = target.split("://", 1)[1].rstrip("/")
        inner = path.split("://", 1)[1]
        candidate = PurePosixPath(inner[len(root) :].lstrip("/") or PurePosixPath(inner).name)
    else:
        candidate = PurePosixPath(path)
        if candidate.is_absolute() or ".." in candidate.parts:
            base = PurePosixPath(display_path(Path(target)))
            try:
                candidate = candidate.relative_to(base.parent if base == candidate else base)
            except ValueError:
                candidate = PurePosixPath(candidate.name)
    parts = [part for part in candidate.parts if part not in ("..", "/", "")]
    return PurePosixPath(*parts) if parts else PurePosixPath("stdin")


def write_bytes_atomically(path: Path, data: bytes, *, mode_from: Path | None = None) -> None:
    """Temporary file in the same directory, read back and compared, then renamed."""
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if mode_from is not None:
            shutil.copymode(mode_from, temporary)
        if Path(temporary).read_bytes() != data:
            raise OSError(f"{path}: written copy differs from the verified result")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_in_place(path: Path, data: bytes, *, backup: bool, changed: bool) -> None:
    """Replace `path` atomically (mode kept); with `backup`, first keep it as `NAME.bak`."""
    if not changed:
        return
    if backup:
        write_bytes_atomically(
            path.with_name(path.name + ".bak"), path.read_bytes(), mode_from=path
        )
    write_bytes_atomically(path, data, mode_from=path)


def mute_path(destination: Path, taken: set[str]) -> Path:
    """`call.json` -> `call.mute.json` (`.gz` ignored); the full name if that is taken."""
    name = destination.name.removesuffix(".gz")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    candidate = destination.with_name(f"{stem}.mute.json")
    if str(candidate) in taken:
        candidate = destination.with_name(f"{destination.name}.mute.json")
    taken.add(str(candidate))
    return candidate


@dataclass
class RunLog:
    """What happened to each input; becomes the `--summary` file and the stderr line."""

    changed: int = 0
    unchanged: int = 0
    replacements: int = 0
    failed: list[FileError] = field(default_factory=list)
    skipped: list[FileError] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sidecars: set[str] = field(default_factory=set)
    formats: Counter[str] = field(default_factory=Counter)

    def done(self, result: RedactionResult) -> None:
        self.changed += result.changed
        self.unchanged += not result.changed
        self.replacements += result.replacements
        self.findings.extend(result.findings)
        self.formats[result.format] += 1

    def fail(self, path: str, message: str) -> None:
        self.failed.append(FileError(path, message))
        click.echo(f"callguard: error: {message}", err=True)

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append(FileError(path, reason))

    def line(self, out: str | None) -> str:
        where = "stdout" if out == "-" else (out or "in place")
        return (
            f"callguard redact: {self.changed + self.unchanged} file(s) written to {where}"
            f" ({self.changed} redacted, {self.replacements} replacement(s)),"
            f" {len(self.skipped)} skipped, {len(self.failed)} failed"
        )

    def summary(self, redactor: Redactor, *, duration: float) -> dict[str, Any]:
        """Counts only: paths, rule ids, types; never a value, a preview or a fingerprint."""
        citations = {meta.id: meta.cite for meta in redactor.scanner.rules}
        by_requirement: Counter[str] = Counter()
        for finding in self.findings:
            by_requirement.update(citations.get(finding.rule_id, ()))
        policy = redactor.policy
        return {
            "tool": "callguard",
            "version": __version__,
            "command": "redact",
            "files": {
                "redacted": self.changed,
                "unchanged": self.unchanged,
                "skipped": len(self.skipped),
                "failed": len(self.failed),
            },
            "failed": [{"path": e.path, "message": e.message} for e in self.failed],
            "skipped": [{"path": e.path, "reason": e.message} for e in self.skipped],
            "findings": len(self.findings),
            "replacements": self.replacements,
            "strategy": policy.describe(),
            "key_id": redactor.key.key_id if redactor.key is not None else None,
            "duration_seconds": round(duration, 3),
            "by_format": dict(sorted(self.formats.items())),
            "by_rule": _count(f.rule_id for f in self.findings),
            "by_entity_type": _count(f.entity_type for f in self.findings),
            "by_severity": _count(f.severity.value for f in self.findings),
            "by_strategy": _count(policy.strategy_for(f.entity_type) for f in self.findings),
            "by_requirement": dict(sorted(by_requirement.items())),
        }


def _count(values: Any) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))
