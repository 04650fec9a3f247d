"""Report renderers: turn a `ScanResult` into text, JSON or SARIF for the CLI to write out.

Each format lives in its own module with a `render` function; this module only picks one and
serialises it, so the CLI needs a single call. JSON and SARIF carry the same facts (INTERFACE.md
"Findings"); none of them ever sees a raw value, because the model does not hold one.
"""

from __future__ import annotations

from json import dumps as _json_dumps
from typing import Any

from callguard.errors import ConfigError
from callguard.model import ScanResult

__all__ = ["FORMATS", "render"]

FORMATS = ("text", "json", "sarif")


def _dumps(document: dict[str, Any]) -> str:
    # Non-ASCII stays readable (speaker names, paths); a trailing newline keeps files POSIX-clean.
    # `dumps` is bound by name: importing the `reports.json` submodule rebinds `json` here.
    return _json_dumps(document, indent=2, ensure_ascii=False) + "\n"


def render(result: ScanResult, fmt: str, *, tool_version: str, color: bool = False) -> str:
    """Render `result` in format `fmt` (text, json or sarif) and return the text to write.

    `color` only affects the text format; the machine formats are never coloured.
    """
    if fmt == "text":
        from callguard.reports import text

        return text.render(result, color=color)
    if fmt == "json":
        from callguard.reports import json as json_report

        return _dumps(json_report.render(result, tool_version=tool_version))
    if fmt == "sarif":
        from callguard.reports import sarif

        return _dumps(sarif.render(result, tool_version=tool_version))
    allowed = "|".join(FORMATS)
    raise ConfigError(f"--format must be {allowed}, got {fmt!r}")
