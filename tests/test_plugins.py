"""Third-party rules arrive through the `callguard.rules` entry-point group, like built-ins."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import metadata

import pytest

from callguard import Scanner
from callguard.document import Document
from callguard.errors import RuleError
from callguard.model import RuleMeta, Severity
from callguard.registry import ENTRY_POINT_GROUP
from callguard.rule import Match

TICKET_META = RuleMeta(
    id="ACME001",
    title="Internal loyalty number",
    entity_type="ACCOUNT_NUMBER",
    severity=Severity.WARNING,
    confidence=0.9,
    profiles=("pci",),
    what="Finds ACME loyalty numbers (LOY- followed by 8 digits).",
    why="They index the customer's card on file.",
    cite=("PCI DSS v4.0 3.2.1",),
    examples_bad=("loyalty LOY-12345678",),
    examples_good=("loyalty program",),
    source="acme_rules",
)


class LoyaltyRule:
    """A plugin rule: anything with `meta` and `scan` is a rule."""

    meta = TICKET_META

    def scan(self, document: Document) -> Iterator[Match]:
        start = document.text.find("LOY-")
        if start >= 0:
            value = document.text[start : start + 12]
            yield Match(
                rule_id="ACME001", confidence=0.9, value=value, spans=((start, start + 12),)
            )


def provide_rules() -> list[object]:
    return [LoyaltyRule()]


def provide_garbage() -> list[object]:
    return ["not a rule"]


def _entry_points(target: str) -> object:
    point = metadata.EntryPoint(name="acme", value=f"{__name__}:{target}", group=ENTRY_POINT_GROUP)

    def fake(*, group: str) -> list[metadata.EntryPoint]:
        return [point] if group == ENTRY_POINT_GROUP else []

    return fake


def test_plugin_rules_are_loaded_and_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metadata, "entry_points", _entry_points("provide_rules"))
    scanner = Scanner(profile="pci")
    assert "ACME001" in {meta.id for meta in scanner.rules}
    (finding,) = [
        f for f in scanner.scan_text("Customer: my LOY-12345678 card") if f.rule_id == "ACME001"
    ]
    assert finding.location.start_column == 14
    assert "12345678" not in finding.preview


def test_a_plugin_returning_a_non_rule_fails_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metadata, "entry_points", _entry_points("provide_garbage"))
    with pytest.raises(RuleError, match="plugin acme: 'not a rule' is not a callguard rule"):
        Scanner(profile="pci")
