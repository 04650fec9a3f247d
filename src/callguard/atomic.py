"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Reports, summaries, baselines and scan state are written through a temporary file in the same
directory, then renamed over the target (`os.replace` is atomic on POSIX and Windows).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from callguard.errors import OutputError


def write_atomically(path: Path, content: str) -> None:
    """Write `content` to `path` via a temporary file in the same directory and a rename."""
    directory = check_writable(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write ({exc.strerror or exc.__class__.__name__})"
        ) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(
            f"{path}: cannot write ({exc.strerror or exc.__class__.__name__})"
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_writable(path: Path) -> Path:
    """The directory `path` will be written in; an OutputError if it is missing or a file.

    Called before a long scan too, so a report or state file that cannot be written fails at
    once, not after a night's work.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{path}: cannot write: directory {directory} does not exist")
    if path.is_dir():
        raise OutputError(f"{path}: cannot write: it is a directory")
    return directory
