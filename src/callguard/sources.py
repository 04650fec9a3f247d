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
    # A version of the input that costs no read (see `callguard.state`); None: always scan.
    stamp: Callable[[], str | None] = field(default=lambda: None, repr=False, compare=False)


def iter_artifacts(
    targets: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    errors: list[FileError] | None = None,
    since: str | None = None,
) -> Iterator[Artifact]:
    """Expand targets into artifacts; a missing target is appended to `errors` (or raised).

    With `since` (a git revision), local files are kept only if git says they changed since
    that revision or are new and not ignored; stdin and URLs are always kept.
    """
    selector = _Selector(include, exclude)
    changed = ChangedFiles(since) if since is not None else None
    for target in targets:
        if target == STDIN:
            yield Artifact("stdin", _read_stdin)
        elif "://" in target:
            yield from _url_artifacts(target, selector)
        elif os.path.isdir(target):
            found = _directory_artifacts(Path(target), selector)
            yield from (a for a in found if changed is None or changed.has(Path(a.path)))
        elif os.path.exists(target):
            if changed is None or changed.has(Path(target)):
                yield _file_artifact(Path(target))
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


class ChangedFiles:
    """The files git reports as changed since a revision, or new and not ignored.

    Changed means different in the working tree (committed, staged or not) from `revision`,
    so `--since origin/main` in a pull request's CI scans what the pull request touches.
    Deleted files are not listed. Each repository holding a target is asked once.
    """

    def __init__(self, revision: str) -> None:
        self._revision = revision
        self._by_top: dict[Path, frozenset[Path]] = {}

    def has(self, path: Path) -> bool:
        path = path.resolve()
        top = self._top(path.parent)
        if top not in self._by_top:
            self._by_top[top] = self._changed(top)
        return path in self._by_top[top]

    def _top(self, directory: Path) -> Path:
        return Path(_git(directory, "rev-parse", "--show-toplevel").strip()).resolve()

    def _changed(self, top: Path) -> frozenset[Path]:
        revision = self._revision
        if revision.startswith("-"):
            raise InputError(f"--since: not a revision: {revision!r}")
        _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        diff = _git(top, "diff", "--name-only", "-z", "--diff-filter=ACMRT", revision, "--")
        new = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
        names = [name for name in (diff + new).split("\0") if name]
        return frozenset((top / name).resolve() for name in names)


def _git(directory: Path, *arguments: str) -> str:
    """Run git in `directory`; a failure is an InputError naming the command, not its output."""
    import subprocess

    command = ["git", "-C", str(directory), *arguments]
    try:
        # No shell; the revision is one argv entry and may not start with "-" (see _changed).
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as exc:
        raise InputError(f"--since needs git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        reason = "not a git repository or unknown revision"
        raise InputError(f"--since: git {arguments[0]} failed in {directory} ({reason})")
    return done.stdout


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
                yield _file_artifact(path)


def _file_artifact(path: Path) -> Artifact:
    def stamp() -> str | None:
        status = path.stat()
        return f"file:{status.st_size}:{status.st_mtime_ns}"

    return Artifact(display_path(path), path.read_bytes, stamp)


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
            reader, stamp = _fsspec_reader(filesystem, path), _fsspec_stamp(filesystem, path)
            yield Artifact(f"{protocol}://{path}", reader, stamp)


def _fsspec_reader(filesystem: object, path: str) -> Callable[[], bytes]:
    def read() -> bytes:
        data: bytes = filesystem.cat_file(path)  # type: ignore[attr-defined]
        return data

    return read


def _fsspec_stamp(filesystem: object, path: str) -> Callable[[], str | None]:
    """ETag, else modification time, with the size: what object stores tell without a read."""

    def stamp() -> str | None:
        info: dict[str, object] = filesystem.info(path)  # type: ignore[attr-defined]
        for key in ("ETag", "etag", "md5Hash", "mtime", "LastModified", "last_modified", "updated"):
            if info.get(key):
                return f"{key}:{info[key]}:{info.get('size')}"
        return None

    return stamp


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()
