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


def test_fast_regex_match_longer_than_its_prefilter_hit_is_not_cut_short() -> None:
    """A prefilter narrower than the full match ("code:" vs the whole value) must not truncate
    the value at the search window's edge."""
    import re

    from callguard.detectors.search import FastRegex

    full = re.compile(r"code:\s+(?P<value>[A-Z0-9 ]{1,40})")
    fast = FastRegex(full, "code:")
    text = "header code:   ABCD EFGH IJKL MNOP end"
    assert [m.group("value") for m in fast.finditer(text)] == ["ABCD EFGH IJKL MNOP "]
    assert [m.group() for m in fast.finditer(text)] == [m.group() for m in full.finditer(text)]


def test_trigger_in_re2_only_syntax_wakes_its_rule_on_undecodable_text() -> None:
    """Lone surrogates (undecodable input bytes kept as they were) send the gate to `re`, which
    rejects RE2's inline flags inside a group: the rule runs instead of the scan failing."""
    gate = RuleGate(["(?:(?i)cvv)", "[0-9]{4}"])
    assert gate.active("caller \udcff said hello") == [True, False]
    text = "Agent: card please \udcff\nCaller: it's 4111 1111 1111 1111, cvv 737"
    findings = Scanner(profile="all").scan_text(text)
    assert {"PCI001", "PCI010"} <= {f.rule_id for f in findings}
