"""Scan a config written to a temporary file and return (rule id, start line) pairs.

The module name is specific on purpose: the tests directory has no `__init__.py`, so a generic
`helpers` module could be shadowed by another test folder's module of the same name.
"""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

from callguard import Scanner


@functools.cache
def config_scanner() -> Scanner:
    return Scanner(profile="config")


def scan_config(
    folder: Path, name: str, content: str, prefix: str = "CFG1"
) -> list[tuple[str, int]]:
    """Findings of rules whose id starts with `prefix`, for `content` saved as `folder/name`."""
    path = folder / name
    path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    result = config_scanner().scan_paths([path])
    assert result.errors == ()
    return sorted(
        (f.rule_id, f.location.start_line) for f in result.findings if f.rule_id.startswith(prefix)
    )


def only(pairs: list[tuple[str, int]], *rule_ids: str) -> list[tuple[str, int]]:
    return [pair for pair in pairs if pair[0] in rule_ids]
