#!/usr/bin/env python
"""Time `callguard scan` on one huge single-line file, at two sizes, to check it scales linearly.

Usage: python benchmarks/bigfile.py [--size-mb 200] [--keep]

Why: exports from chat platforms and log shippers sometimes arrive as one giant line (a JSON array
with no newlines, a log with lost line ends). A detector whose regexes backtrack, or a reader that
re-scans from the line start, turns that into quadratic time and a stuck CI job. This writes the
synthetic corpus as a single line at a quarter of the size and at the full size, runs the CLI on
each, and prints the times and their ratio: about 4 means linear.

Only sizes, times, exit codes and a finding count are printed; never the report itself.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import corpus


def write_single_line(path: Path, size_bytes: int, seed: int) -> int:
    """Repeat ~1 MB of corpus text, joined by spaces, until the file reaches `size_bytes`."""
    chunk = " ".join(line.text for line in corpus.generate(1_000_000, seed=seed)) + " "
    data = chunk.encode("utf-8")
    written = 0
    with path.open("wb") as out:
        while written < size_bytes:
            piece = data[: size_bytes - written]
            out.write(piece)
            written += len(piece)
        out.write(b"\n")
    return written + 1


def callguard_command() -> list[str]:
    """The installed `callguard` script beside this Python, else the CLI module."""
    script = Path(sys.executable).with_name("callguard")
    if script.exists():
        return [str(script)]
    found = shutil.which("callguard")
    if found:
        return [found]
    return [sys.executable, "-c", "from callguard.cli import main; main()"]


def time_scan(path: Path, report: Path, timeout: float) -> tuple[float, int | None, str]:
    """Seconds, exit code (None on timeout) and first stderr line of one `callguard scan` run.

    The timeout matters: a quadratic scanner on 200 MB would otherwise run for hours.
    """
    command = [*callguard_command(), "scan", str(path), "--format", "json", "--output", str(report)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, None, f"timed out after {timeout:.0f} s"
    seconds = time.perf_counter() - start
    first_error = done.stderr.strip().splitlines()[0] if done.stderr.strip() else ""
    return seconds, done.returncode, first_error


def count_findings(report: Path) -> int | None:
    """Number of findings in the JSON report, or None if it is not the shape we expect."""
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    findings = data.get("findings") if isinstance(data, dict) else data
    return len(findings) if isinstance(findings, list) else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=200.0)
    parser.add_argument("--seed", type=int, default=20250529)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per scan")
    parser.add_argument("--keep", action="store_true", help="keep the temp directory")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="callguard-bigfile-"))
    rows: list[tuple[float, float]] = []
    try:
        for fraction in (0.25, 1.0):
            size = int(args.size_mb * fraction * 1e6)
            path = workdir / f"one-line-{size // 1_000_000}mb.txt"
            written = write_single_line(path, size, args.seed)
            report = workdir / "report.json"
            report.unlink(missing_ok=True)
            seconds, code, error = time_scan(path, report, args.timeout)
            findings = count_findings(report)
            shown = "?" if findings is None else findings
            print(
                f"{written / 1e6:8.1f} MB  {seconds:7.2f} s  {written / 1e6 / seconds:7.2f} MB/s  "
                f"exit {code}  findings {shown}",
                flush=True,
            )
            if error and code not in (0, 1):
                print(f"  stderr: {error}")
            rows.append((written, seconds))
            path.unlink()
            if code is None:
                break
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if len(rows) < 2:
        print("stopped after a timeout: scan time is not linear in input size here")
        return 1
    (small_bytes, small_s), (big_bytes, big_s) = rows
    print(
        f"time ratio {big_s / small_s:.2f} for size ratio {big_bytes / small_bytes:.2f} "
        f"(linear: about equal); peak child RSS "
        f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
