"""Where inputs come from: files, directories, `-` for stdin, and fsspec URLs.

Directories are walked in sorted order (reproducible reports), skipping VCS and tool folders,
keeping what `include` globs allow and dropping what `exclude` globs name (gitignore syntax).
Reading is deferred to `Artifact.read` so a huge tree is never held in memory at once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from callguard.errors import InputError
from callguard.model import FileError

STDIN = "-"
_SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".hypothesis",
    }
)


@dataclass(frozen=True)
class Artifact:
    """One input: the path shown in reports, and how to get its bytes."""

    path: str
    read: Callable[[], bytes] = field(repr=False, compare=False)


def iter_artifacts(
    targets: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    errors: list[FileError] | None = None,
) -> Iterator[Artifact]:
    """Expand targets into artifacts; a missing target is appended to `errors` (or raised)."""
    selector = _Selector(include, exclude)
    for target in targets:
        if target == STDIN:
            yield Artifact("stdin", _read_stdin)
        elif "://" in target:
            yield from _url_artifacts(target, selector)
        elif os.path.isdir(target):
            yield from _directory_artifacts(Path(target), selector)
        elif os.path.exists(target):
            yield Artifact(display_path(Path(target)), Path(target).read_bytes)
        else:
            problem = FileError(target, "no such file or directory")
            if errors is None:
                raise InputError(f"{target}: {problem.message}")
            errors.append(problem)


def display_path(path: Path) -> str:
    """A POSIX path relative to the working directory when the file is below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class _Selector:
    """Include/exclude globs with gitignore semantics, matched on paths relative to the root."""

    def __init__(self, include: Sequence[str], exclude: Sequence[str]) -> None:
        import pathspec

        self._include = pathspec.GitIgnoreSpec.from_lines(include) if include else None
        self._exclude = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None

    def keeps(self, relative: str) -> bool:
        if self._exclude is not None and self._exclude.match_file(relative):
            return False
        return self._include is None or self._include.match_file(relative)


def _directory_artifacts(root: Path, selector: _Selector) -> Iterator[Artifact]:
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in _SKIPPED_DIRECTORIES)
        for name in sorted(files):
            path = Path(directory, name)
            if path.is_symlink() and not path.is_file():
                continue
            if selector.keeps(path.relative_to(root).as_posix()):
                yield Artifact(display_path(path), path.read_bytes)


def _url_artifacts(url: str, selector: _Selector) -> Iterator[Artifact]:
    try:
        import fsspec
    except ImportError:
        raise InputError(
            f"{url}: reading URLs needs fsspec: pip install 'callguard[cloud]'"
        ) from None
    try:
        filesystem, root = fsspec.core.url_to_fs(url)
        paths = [root] if filesystem.isfile(root) else sorted(filesystem.find(root))
    except (ImportError, ValueError) as exc:
        raise InputError(f"{url}: unsupported URL ({exc})") from None
    except OSError as exc:
        raise InputError(f"{url}: cannot list ({exc.__class__.__name__})") from None
    protocol = url.split("://", 1)[0]
    for path in paths:
        relative = path[len(root) :].lstrip("/") or Path(path).name
        if selector.keeps(relative):
            yield Artifact(f"{protocol}://{path}", _fsspec_reader(filesystem, path))


def _fsspec_reader(filesystem: object, path: str) -> Callable[[], bytes]:
    def read() -> bytes:
        data: bytes = filesystem.cat_file(path)  # type: ignore[attr-defined]
        return data

    return read


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()
