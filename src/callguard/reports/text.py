"""Human-readable terminal output, one finding per line in the `path:line:col:` form editors parse.

Colour is opt-in (the CLI passes `color=True` only for a TTY), so piped output stays plain.
Paths and messages are printed with control characters escaped: a file name is attacker-chosen
input, and a crafted one must not be able to move the cursor or rewrite the terminal.
"""

from __future__ import annotations

import re
from collections import Counter

from callguard.model import Finding, Location, ScanResult, Severity
from callguard.reports.json import location_context

__all__ = ["render"]

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_COLOR = {
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.NOTE: "\x1b[36m",
}
_SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.NOTE)
# C0 and C1 controls plus DEL; tab is harmless but still ambiguous in one-line output.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _safe(value: str) -> str:
    """Escape control characters so untrusted text cannot inject terminal sequences."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group(0)):02x}", value)


class _Painter:
    """Wraps text in ANSI codes, or returns it untouched when colour is off."""

    def __init__(self, *, color: bool) -> None:
        self._color = color

    def __call__(self, text: str, *codes: str) -> str:
        if not self._color or not codes:
            return text
        return "".join(codes) + text + _RESET


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _position(path: str, location: Location) -> str:
    return f"{_safe(path)}:{location.start_line}:{location.start_column}"


def _context(location: Location) -> str:
    context = location_context(location)
    parts = []
    if "speaker" in context:
        parts.append(f"speaker={_safe(context['speaker'])}")
    if "audio_start" in context or "audio_end" in context:
        start = context.get("audio_start")
        end = context.get("audio_end")
        start_text = "?" if start is None else f"{start:.2f}"
        end_text = "?" if end is None else f"{end:.2f}"
        parts.append(f"audio={start_text}-{end_text}s")
    if "json_pointer" in context:
        parts.append(f"pointer={_safe(context['json_pointer'])}")
    return " ".join(parts)


def _finding_lines(finding: Finding, paint: _Painter) -> list[str]:
    """The headline, then one indented line per location when there is more to say."""
    severity = finding.severity
    headline = (
        f"{paint(_position(finding.path, finding.location), _BOLD)}: "
        f"{paint(finding.rule_id, _BOLD)} "
        f"{paint(f'[{severity.value}]', _SEVERITY_COLOR[severity])} "
        f"{_safe(finding.message)}"
    )
    if finding.preview not in finding.message:
        headline += " " + paint(f"({_safe(finding.preview)})", _DIM)
    lines = [headline]
    contexts = [_context(location) for location in finding.locations]
    if len(finding.locations) > 1 or contexts[0]:
        for location, context in zip(finding.locations, contexts, strict=True):
            detail = f"{_position(finding.path, location)} {context}".rstrip()
            lines.append("    " + paint(detail, _DIM))
    return lines


def _summary(result: ScanResult, paint: _Painter) -> str:
    """One line: what a person glancing at CI output needs to decide whether to look closer."""
    counts = Counter(finding.severity for finding in result.findings)
    breakdown = ", ".join(f"{counts[sev]} {sev.value}" for sev in _SEVERITY_ORDER if counts[sev])
    line = _plural(len(result.findings), "finding")
    if breakdown:
        line += f" ({breakdown})"
    line += f" in {_plural(result.files_scanned, 'file')}"
    if result.errors:
        failed = _plural(len(result.errors), "file")
        line += f"; {failed} failed"
    if result.skipped:
        line += f"; {len(result.skipped)} skipped"
    if result.files_unchanged:
        line += f"; {result.files_unchanged} unchanged since the last run"
    if result.suppressed:
        line += f"; {result.suppressed} suppressed"
    return paint(line, _BOLD)


def render(result: ScanResult, *, color: bool) -> str:
    """Render the scan result for a terminal; the returned text ends with a newline."""
    paint = _Painter(color=color)
    lines: list[str] = []
    for finding in result.findings:
        lines.extend(_finding_lines(finding, paint))
    for error in result.errors:
        label = paint("error", _SEVERITY_COLOR[Severity.ERROR])
        lines.append(f"{_safe(error.path)}: {label}: {_safe(error.message)}")
    for skipped in result.skipped:
        label = paint("skipped", _DIM)
        lines.append(f"{_safe(skipped.path)}: {label}: {_safe(skipped.reason)}")
    if lines:
        lines.append("")
    lines.append(_summary(result, paint))
    return "\n".join(lines) + "\n"
