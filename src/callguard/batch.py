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
) -> ScanResult:
    """Scan every artifact (see module docstring) and gather one ScanResult.

    `errors` holds problems found while listing the inputs (a missing path); it is read only
    after the artifacts are exhausted, as listing appends to it lazily.
    """
    findings: list[Finding] = []
    skipped: list[SkippedFile] = []
    scanned = suppressed = 0
    failed: list[FileError] = []
    counted = _counting(artifacts, progress)
    outcomes = (
        _in_workers(scanner, counted, workers) if workers > 1 else _in_order(scanner, counted)
    )
    for outcome in outcomes:
        if outcome.error is not None:
            failed.append(outcome.error)
        elif outcome.skipped is not None:
            skipped.append(outcome.skipped)
        else:
            findings.extend(outcome.findings)
            suppressed += outcome.suppressed
            scanned += 1
    return ScanResult(
        findings=tuple(findings),
        errors=(*errors, *failed),
        skipped=tuple(skipped),
        files_scanned=scanned,
        suppressed=suppressed,
        rules=scanner.rules,
    )


def _counting(
    artifacts: Iterable[Artifact], progress: Callable[[int, str], None] | None
) -> Iterator[Artifact]:
    """The artifacts, telling `progress` how many came before each one and its path."""
    for count, artifact in enumerate(artifacts):
        if progress is not None:
            progress(count, artifact.path)
        yield artifact


def _in_order(scanner: Scanner, artifacts: Iterable[Artifact]) -> Iterator[InputOutcome]:
    for artifact in artifacts:
        data = _read(artifact)
        yield data if isinstance(data, InputOutcome) else scanner.scan_input(artifact.path, data)


def _in_workers(
    scanner: Scanner, artifacts: Iterable[Artifact], workers: int
) -> Iterator[InputOutcome]:
    """Outcomes in input order from a pool of `workers` processes, 2 x workers in flight."""
    profile, config, fingerprinter = scanner.recipe()
    pending: deque[InputOutcome | Future[InputOutcome]] = deque()
    with ProcessPoolExecutor(
        max_workers=workers,
        initializer=_start_worker,
        initargs=(profile, config, fingerprinter),
    ) as pool:
        for artifact in artifacts:
            data = _read(artifact)
            if isinstance(data, InputOutcome):
                pending.append(data)
            else:
                pending.append(pool.submit(_scan_in_worker, artifact.path, data))
            while len(pending) >= 2 * workers:
                yield _settled(pending.popleft())
        while pending:
            yield _settled(pending.popleft())


def _read(artifact: Artifact) -> bytes | InputOutcome:
    """The artifact's bytes, or the outcome of failing to read them."""
    from callguard.engine import describe_error

    try:
        return artifact.read()
    except OSError as exc:
        problem = FileError(artifact.path, describe_error(artifact.path, exc))
        return InputOutcome(artifact.path, error=problem)


def _settled(item: InputOutcome | Future[InputOutcome]) -> InputOutcome:
    return item if isinstance(item, InputOutcome) else item.result()


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
