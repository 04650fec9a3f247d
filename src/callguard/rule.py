"""The one small protocol every rule implements, text rules and config rules alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from callguard.document import Document
from callguard.focus import Reach
from callguard.model import RuleMeta

__all__ = ["Match", "Reach", "Rule"]


@dataclass(frozen=True)
class Match:
    """What a rule reports before the engine turns it into a Finding.

    `spans` are [start, end) ranges of `Document.text`; a value said in pieces has several.
    `raw_spans` are ranges of the document's raw text, for rules that point at raw places
    directly (config settings). `value` is the normalised sensitive value: the engine uses it
    for the masked preview and the keyed fingerprint, then drops it.
    """

    rule_id: str
    confidence: float
    value: str = field(repr=False)
    spans: tuple[tuple[int, int], ...] = ()
    raw_spans: tuple[tuple[int, int], ...] = ()
    detail: str = ""


@runtime_checkable
class Rule(Protocol):
    """A rule: its metadata, and a scan of one Document.

    A rule may also have a `trigger` attribute: an RE2 regex matching every text the rule could
    report on. The engine skips the rule on texts without it (see `detectors.search.RuleGate`).
    And it may have a `reach` (see `Reach`); without one, the read-back reads everything.
    """

    @property
    def meta(self) -> RuleMeta: ...

    def scan(self, document: Document) -> Iterable[Match]:
        """Yield every match of this rule in `document`."""
        ...
