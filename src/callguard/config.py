"""User configuration: `callguard.toml`, or `[tool.callguard]` in `pyproject.toml`.

```toml
[tool.callguard]
profile = "pci"                  # pci | hipaa | config | all
fail-on = "warning"              # none | note | warning | error
disable = ["PCI001"]             # rule ids to switch off
enable = []                      # if set, only these rule ids run
include = ["transcripts/**"]     # globs (gitignore style) a directory scan keeps
exclude = ["tests/fixtures/**"]  # globs a directory scan drops
allow = ['^4111111111111111$']   # regexes; a finding whose value matches is dropped
min-confidence = 0.3
rule-packs = ["ops/callguard-rules.yaml"]
fingerprint-key-file = "~/.config/callguard/key"
[tool.callguard.severity]
PCI001 = "warning"
[tool.callguard.chat]
text-fields = ["message"]
author-fields = ["agent_name"]
```
Unknown keys are errors: a typo must not silently switch a check off.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callguard.errors import ConfigError
from callguard.model import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PROFILE_NAMES = ("pci", "hipaa", "config", "all")
FAIL_ON_NAMES = ("none", "note", "warning", "error")


@dataclass(frozen=True)
class Config:
    """Everything a scan can be told; defaults suit a first run."""

    profile: str = "all"
    fail_on: str = "warning"
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    allow: tuple[re.Pattern[str], ...] = ()
    min_confidence: float = 0.3
    rule_packs: tuple[Path, ...] = ()
    fingerprint_key_file: Path | None = None
    chat_text_fields: tuple[str, ...] = ()
    chat_author_fields: tuple[str, ...] = ()
    chat_time_fields: tuple[str, ...] = ()
    source: Path | None = None


_KEYS = frozenset(
    {
        "profile",
        "fail-on",
        "enable",
        "disable",
        "severity",
        "include",
        "exclude",
        "allow",
        "min-confidence",
        "rule-packs",
        "fingerprint-key-file",
        "chat",
    }
)
_CHAT_KEYS = frozenset({"text-fields", "author-fields", "time-fields"})


def find_config(start: Path) -> Path | None:
    """`callguard.toml`, else a `pyproject.toml` with `[tool.callguard]`, in `start` or above."""
    for directory in (start, *start.parents):
        candidate = directory / "callguard.toml"
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "[tool.callguard" in pyproject.read_text(errors="replace"):
            return pyproject
        if (directory / ".git").exists():
            return None
    return None


def load_config(path: Path) -> Config:
    """Read and validate a configuration file."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        document = document.get("tool", {}).get("callguard", {})
    return config_from_dict(document, source=path)


def config_from_dict(data: Mapping[str, Any], *, source: Path | None = None) -> Config:
    """Validate a parsed configuration table."""
    where = str(source) if source else "configuration"
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s): {', '.join(unknown)}")
    chat = data.get("chat", {})
    if not isinstance(chat, Mapping) or set(chat) - _CHAT_KEYS:
        raise ConfigError(f"{where}: [chat] takes only {', '.join(sorted(_CHAT_KEYS))}")
    base = source.parent if source else Path.cwd()
    key_file = data.get("fingerprint-key-file")
    return Config(
        profile=_one_of(data, "profile", PROFILE_NAMES, "all", where),
        fail_on=_one_of(data, "fail-on", FAIL_ON_NAMES, "warning", where),
        enable=_strings(data, "enable", where),
        disable=_strings(data, "disable", where),
        severity=_severities(data.get("severity", {}), where),
        include=_strings(data, "include", where),
        exclude=_strings(data, "exclude", where),
        allow=tuple(_regex(text, where) for text in _strings(data, "allow", where)),
        min_confidence=_confidence(data.get("min-confidence", 0.3), where),
        rule_packs=tuple(base / pack for pack in _strings(data, "rule-packs", where)),
        fingerprint_key_file=Path(str(key_file)).expanduser() if key_file else None,
        chat_text_fields=_strings(chat, "text-fields", where),
        chat_author_fields=_strings(chat, "author-fields", where),
        chat_time_fields=_strings(chat, "time-fields", where),
        source=source,
    )


def _one_of(
    data: Mapping[str, Any], key: str, allowed: tuple[str, ...], default: str, where: str
) -> str:
    value = data.get(key, default)
    if value not in allowed:
        raise ConfigError(f"{where}: {key} must be {'|'.join(allowed)}, got {value!r}")
    return str(value)


def _strings(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def _severities(value: Any, where: str) -> dict[str, Severity]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: [severity] must map rule ids to note|warning|error")
    try:
        return {str(rule): Severity.parse(str(level)) for rule, level in value.items()}
    except ValueError as exc:
        raise ConfigError(f"{where}: [severity]: {exc}") from None


def _regex(text: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise ConfigError(f"{where}: allow: invalid regex ({exc})") from None


def _confidence(value: Any, where: str) -> float:
    if not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ConfigError(f"{where}: min-confidence must be a number from 0 to 1")
    return float(value)
