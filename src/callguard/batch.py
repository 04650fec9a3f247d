"""Scanning many inputs: one after another, or in worker processes, with the same result.

A nightly run over a transcript store is CPU-bound detection on many small files, so
`workers > 1` scans inputs in that many processes. The parent lists and reads the inputs (I/O)
and hands each one's bytes to a worker; results are taken back in input order, so reports,
exit codes and summaries are the same as with one worker. At most `2 x workers` inputs are in
flight, so a store of millions of files is never held in memory. Every worker builds its own
Scanner from the same profile, configuration and fingerprint key (a run without a configured
key still gets one fingerprint key for all workers), and loads the spaCy model, if a HIPAA rule
needs it, once per worker.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from callguard.model import FileError, Finding, ScanResult, SkippedFile
from callguard.sources import Artifact

if TYPE_CHECKING:
    from callguard.engine import Scanner
    from callguard.privacy import Fingerprinter
    from callguard.state import ScanState

Stamp = str | None  # see Artifact.stamp


@dataclass(frozen=True)
class InputOutcome:
    """What scanning one input gave: findings, or why it was skipped or could not be read."""

    path: str
    findings: tuple[Finding, ...] = field(default=(), repr=False)
    suppressed: int = 0
    error: FileError | None = None
    skipped: SkippedFile | None = None


def resolve_workers(workers: int) -> int:
    """`workers` as given, or one per CPU for 0."""
    if workers < 0:
        raise ValueError(f"workers must be 0 (one per CPU) or more, got {workers}")
    return workers or os.cpu_count() or 1


def scan_artifacts(
    scanner: Scanner,
    artifacts: Iterable[Artifact],
    *,
    errors: list[FileError],
    workers: int = 1,
    progress: Callable[[int, str], None] | None = None,
    state: ScanState | None = None,
) -> ScanResult:
    """Scan every artifact (see module docstring) and gather one ScanResult.

    `errors` holds problems found while listing the inputs (a missing path); it is read only
    after the artifacts are exhausted, as listing appends to it lazily. With a `state`, inputs
    it knows unchanged are not read, and each input scanned is recorded; the state is saved
    at the end, also when the run is interrupted.
    """
    findings: list[Finding] = []
    skipped: list[SkippedFile] = []
    failed: list[FileError] = []
    scanned = suppressed = 0
    listed = _ToScan(artifacts, progress, state)
    outcomes = _in_workers(scanner, listed, workers) if workers > 1 else _in_order(scanner, listed)
    try:
        for outcome, stamp in outcomes:
            if outcome.error is not None:
                failed.append(outcome.error)
                continue  # not recorded: tried again next run
            if outcome.skipped is not None:
                skipped.append(outcome.skipped)
            else:
                findings.extend(outcome.findings)
                suppressed += outcome.suppressed
                scanned += 1
            if state is not None:
                state.record(outcome.path, stamp)
    finally:
        if state is not None:
            state.save()
    return ScanResult(
        findings=tuple(findings),
        errors=(*errors, *failed),
        skipped=tuple(skipped),
        files_scanned=scanned,
        files_unchanged=listed.unchanged,
        suppressed=suppressed,
        rules=scanner.rules,
    )


class _ToScan:
    """The artifacts to scan, each with its stamp, minus those the state knows unchanged.

    Tells `progress` how many inputs came before each one and its path (never content).
    """

    def __init__(
        self,
        artifacts: Iterable[Artifact],
        progress: Callable[[int, str], None] | None,
        state: ScanState | None,
    ) -> None:
        self._artifacts = artifacts
        self._progress = progress
        self._state = state
        self.unchanged = 0

    def __iter__(self) -> Iterator[tuple[Artifact, Stamp]]:
        for count, artifact in enumerate(self._artifacts):
            if self._progress is not None:
                self._progress(count, artifact.path)
            stamp = _stamp(artifact) if self._state is not None else None
            if self._state is not None and self._state.is_unchanged(artifact.path, stamp):
                self.unchanged += 1
                continue
            yield artifact, stamp


def _stamp(artifact: Artifact) -> Stamp:
    try:
        return artifact.stamp()
    except OSError:
        return None  # cannot tell: scan it (reading will say what is wrong)


def _in_order(
    scanner: Scanner, listed: Iterable[tuple[Artifact, Stamp]]
) -> Iterator[tuple[InputOutcome, Stamp]]:
    for artifact, stamp in listed:
        data = _read(artifact)
        if isinstance(data, InputOutcome):
            yield data, stamp
        else:
            yield scanner.scan_input(artifact.path, data), stamp


def _in_workers(
    scanner: Scanner, listed: Iterable[tuple[Artifact, Stamp]], workers: int
) -> Iterator[tuple[InputOutcome, Stamp]]:
    """Outcomes in input order from a pool of `workers` processes, 2 x workers in flight."""
    profile, config, fingerprinter = scanner.recipe()
    pending: deque[tuple[InputOutcome | Future[InputOutcome], Stamp]] = deque()
    with ProcessPoolExecutor(
        max_workers=workers,
        initializer=_start_worker,
        initargs=(profile, config, fingerprinter),
    ) as pool:
        for artifact, stamp in listed:
            data = _read(artifact)
            if isinstance(data, InputOutcome):
                pending.append((data, stamp))
            else:
                pending.append((pool.submit(_scan_in_worker, artifact.path, data), stamp))
            while len(pending) >= 2 * workers:
                yield _settled(*pending.popleft())
        while pending:
            yield _settled(*pending.popleft())


def _read(artifact: Artifact) -> bytes | InputOutcome:
    """The artifact's bytes, or the outcome of failing to read them."""
    from callguard.engine import describe_error

    try:
        return artifact.read()
    except OSError as exc:
        problem = FileError(artifact.path, describe_error(artifact.path, exc))
        return InputOutcome(artifact.path, error=problem)


def _settled(item: InputOutcome | Future[InputOutcome], stamp: Stamp) -> tuple[InputOutcome, Stamp]:
    return (item if isinstance(item, InputOutcome) else item.result()), stamp


# -- inside a worker process -------------------------------------------------------------------

_worker_scanner: Scanner | None = None


def _start_worker(profile: str, config: object, fingerprinter: Fingerprinter) -> None:
    """Build this worker's Scanner once; it then serves every input sent to the worker."""
    from callguard.config import Config
    from callguard.engine import Scanner

    global _worker_scanner
    assert isinstance(config, Config)
    _worker_scanner = Scanner(profile=profile, config=config, fingerprinter=fingerprinter)


def _scan_in_worker(path: str, data: bytes) -> InputOutcome:
    assert _worker_scanner is not None, "worker used before _start_worker"
    return _worker_scanner.scan_input(path, data)
