"""The rule gate only skips work: findings with it equal findings without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from callguard import Scanner
from callguard.detectors.search import RuleGate

ROOT = Path(__file__).resolve().parents[1]
INPUTS = sorted(
    path
    for folder in (ROOT / "tests" / "fixtures", ROOT / "examples")
    for path in folder.rglob("*")
    if path.is_file()
)


class _OpenGate(RuleGate):
    def active(self, text: str) -> list[bool]:
        return [True] * len(super().active(text))


@pytest.mark.parametrize("profile", ["pci", "hipaa", "config"])
def test_gate_changes_no_finding(profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    gated = Scanner(profile=profile).scan_paths(INPUTS)
    monkeypatch.setattr("callguard.engine.RuleGate", _OpenGate)
    open_result = Scanner(profile=profile).scan_paths(INPUTS)
    key = [(f.path, f.rule_id, f.location.char_offset) for f in gated.findings]
    assert key == [(f.path, f.rule_id, f.location.char_offset) for f in open_result.findings]
    assert len(key) > 5


def test_rules_without_their_trigger_do_not_run() -> None:
    gate = RuleGate(["(?i:cvv)", None, "[0-9]{12}"])
    assert gate.active("hello there") == [False, True, False]
    assert gate.active("the CVV is on the back") == [True, True, False]
    assert gate.active("order 123456789012") == [False, True, True]


def test_gate_falls_back_to_re_for_undecodable_text() -> None:
    gate = RuleGate(["(?i:cvv)", "[0-9]{4}"])
    assert gate.active("caller \udcff said cvv 1234") == [True, True]
