"""Scan state: which inputs a nightly run has already scanned, so the next one skips them.

`callguard scan --state FILE` records, for every input scanned without error, a stamp of its
version that costs no read (size and modification time for a file; ETag, modification time or
size for an object store URL). A later run skips an input whose stamp is unchanged, as long as
the rule set is the same: a new callguard version, profile, rule selection or confidence floor
rescans everything. Inputs that failed are not recorded, so they are tried again.

The state is saved (atomically) every `SAVE_EVERY` inputs and at the end, so a run that is
stopped resumes where it stopped. It holds paths and stamps only, never content or findings:
findings of skipped inputs were reported by the run that scanned them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callguard import __version__
from callguard.atomic import check_writable, write_atomically
from callguard.errors import InputError

if TYPE_CHECKING:
    from callguard.engine import Scanner

FORMAT_VERSION = 1
SAVE_EVERY = 200


class ScanState:
    """Stamps of the inputs scanned under one rule set, loaded from and saved to a file."""

    def __init__(self, path: Path, rule_set: str, stamps: dict[str, str]) -> None:
        self.path = path
        self.rule_set = rule_set
        self._stamps = stamps
        self._unsaved = 0

    @classmethod
    def open(cls, path: Path, scanner: Scanner) -> ScanState:
        """The state in `path` if it was made under this scanner's rule set, else an empty one."""
        rule_set = rule_set_id(scanner)
        check_writable(path)  # saved as the run goes: fail before it starts
        if not path.exists():
            return cls(path, rule_set, {})
        try:
            saved: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: cannot read scan state ({exc.__class__.__name__})") from None
        if not isinstance(saved, dict) or saved.get("version") != FORMAT_VERSION:
            raise InputError(f"{path}: not a callguard scan state; name a new file or delete it")
        stamps = saved.get("inputs")
        if saved.get("rule_set") != rule_set or not isinstance(stamps, dict):
            return cls(path, rule_set, {})  # other rules: everything is scanned again
        return cls(path, rule_set, {str(k): str(v) for k, v in stamps.items()})

    def is_unchanged(self, input_path: str, stamp: str | None) -> bool:
        """Whether this input, as stamped now, was scanned under the same rule set."""
        return stamp is not None and self._stamps.get(input_path) == stamp

    def record(self, input_path: str, stamp: str | None) -> None:
        """Remember a scanned input; saves every SAVE_EVERY records."""
        if stamp is None:
            return
        self._stamps[input_path] = stamp
        self._unsaved += 1
        if self._unsaved >= SAVE_EVERY:
            self.save()

    def save(self) -> None:
        content = {"version": FORMAT_VERSION, "rule_set": self.rule_set, "inputs": self._stamps}
        write_atomically(self.path, json.dumps(content, indent=1, sort_keys=True) + "\n")
        self._unsaved = 0


def rule_set_id(scanner: Scanner) -> str:
    """A digest of what decides the findings: version, profile, rules and their settings.

    A custom rule pack counts by its content, not its name: editing a pack rescans everything.
    The chat field names count too, as they decide which text a chat file is read as.
    """
    config = scanner.config
    described = {
        "callguard": __version__,
        "profile": scanner.profile,
        "rules": sorted((meta.id, meta.severity.value) for meta in scanner.rules),
        "min_confidence": config.min_confidence,
        "allow": [pattern.pattern for pattern in config.allow],
        "packs": [_digest(pack) for pack in config.rule_packs],
        "chat": [config.chat_text_fields, config.chat_author_fields, config.chat_time_fields],
    }
    text = json.dumps(described, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _digest(pack: Path) -> str:
    """The SHA-256 of a rule pack file (it was read when the scanner loaded it)."""
    return hashlib.sha256(pack.read_bytes()).hexdigest()
