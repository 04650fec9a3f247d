"""An audit evidence report: one self-contained HTML page from `--summary` files of runs.

An assessor asks what was scanned or redacted, when, with which tool version, and what was
found against which requirement (PCI DSS 3.3.1, HIPAA 164.514(b)(2)(i)(C)...). The run
summaries already hold those counts and never a value, a preview or a fingerprint; this page
lays them side by side, totals findings per requirement, and embeds no script or remote asset,
so it can be attached to an audit as it is.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

from callguard.errors import InputError

_STYLE = (
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:70em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left}"
    "td.n{text-align:right}th{background:#eee}h2{margin-top:2em}"
)
_COUNTS = (
    ("by_requirement", "Findings by requirement"),
    ("by_severity", "Findings by severity"),
    ("by_rule", "Findings by rule"),
    ("by_entity_type", "Findings by entity type"),
    ("by_strategy", "Replacements by strategy"),
    ("by_format", "Files by format"),
)


def load_summaries(paths: Sequence[Path]) -> list[tuple[str, dict[str, Any]]]:
    """Each summary file with its name; a file that is not a callguard summary is an error."""
    loaded: list[tuple[str, dict[str, Any]]] = []
    for path in paths:
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        except ValueError:
            raise InputError(f"{path}: not JSON; give the file written by --summary") from None
        if not isinstance(summary, dict) or summary.get("tool") != "callguard":
            raise InputError(f"{path}: not a callguard run summary (written by --summary)")
        loaded.append((path.name, summary))
    return loaded


def render(
    summaries: Sequence[tuple[str, Mapping[str, Any]]], *, now: datetime | None = None
) -> str:
    """The HTML page for these run summaries, in the order given."""
    generated = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    totals: Counter[str] = Counter()
    for _, summary in summaries:
        totals.update(_counts(summary.get("by_requirement")))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>callguard evidence report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>callguard evidence report</h1>",
        f"<p>Generated {escape(generated)} from {len(summaries)} run summaries. Counts only: "
        "no sensitive value, masked preview or fingerprint is in this report.</p>",
        "<h2>Findings by requirement, all runs</h2>",
        _table(("Requirement", "Findings"), sorted(totals.items())),
    ]
    for name, summary in summaries:
        parts.extend(_run(name, summary))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _run(name: str, summary: Mapping[str, Any]) -> list[str]:
    facts = [
        ("Command", summary.get("command", "scan")),
        ("callguard version", summary.get("version")),
        ("Started", summary.get("started_at")),
        ("Duration (s)", summary.get("duration_seconds")),
        ("Findings", summary.get("findings")),
        ("Suppressed inline", summary.get("suppressed")),
        ("Accepted by baseline", summary.get("baselined")),
        ("Replacements", summary.get("replacements")),
        ("Strategy", summary.get("strategy")),
        ("Token key id", summary.get("key_id")),
    ]
    files = summary.get("files")
    if isinstance(files, Mapping):
        facts += [(f"Files {key}", value) for key, value in files.items()]
    lines = [f"<h2>Run: {escape(name)}</h2>"]
    lines.append(_table(("", ""), [(k, v) for k, v in facts if v is not None], header=False))
    for key, title in _COUNTS:
        counts = _counts(summary.get(key))
        if counts:
            lines.append(f"<h3>{escape(title)}</h3>")
            lines.append(_table(("", "Count"), sorted(counts.items())))
    return lines


def _counts(value: object) -> dict[str, int]:
    """A `by_*` mapping of a summary, ignoring anything that is not name -> count."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool)}


def _table(heads: tuple[str, str], rows: Sequence[tuple[str, object]], header: bool = True) -> str:
    cells = [f"<th>{escape(head)}</th>" for head in heads]
    lines = ["<table>", f"<tr>{''.join(cells)}</tr>" if header else ""]
    for key, value in rows:
        shown = escape(json.dumps(value) if isinstance(value, dict | list) else str(value))
        numeric = ' class="n"' if isinstance(value, int | float) else ""
        lines.append(f"<tr><th>{escape(str(key))}</th><td{numeric}>{shown}</td></tr>")
    if len(rows) == 0:
        lines.append('<tr><td colspan="2">none</td></tr>')
    lines.append("</table>")
    return "\n".join(line for line in lines if line)
