"""The RE2 prefilters and triggers of the HIPAA rules only skip work: findings stay the same.

Every pattern rule in rules/hipaa.yaml names a `prefilter`; the cue rules, the date rules and
the name slots build theirs from their own regexes (`callguard.detectors.cues`). A prefilter
that misses a place where its regex matches loses a finding silently, so this module scans
calls, chats and records twice: as shipped, and with every prefilter and the rule gate off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml

import callguard.formats
from callguard import Scanner
from callguard.detectors import search
from callguard.registry import builtin_rules_dir

# Lines chosen to sit on prefilter edges: labels on their own line, numbers over two lines,
# suites on the next line, spoken values, dates next to times, values at the end of a text.
EDGES = [
    "Phone:\n0490 75 40 81\nFax:\n+41 (0)62 585 51 90",
    "082 490 1693-Office\n+46 (0)8 928 571 38 fax\n+41 (0)38 549 02 90 mobile",
    "Fax: 345-899-3560x4587, call me back at 5 or reach me at (923) 555-0106",
    "mail to 14 Crown Street\n Suite 321\n LONDON, and 445\n Low Street, United Kingdom",
    "Springfield, CO\n 70079 and zip code is 62704-1234, Springfield, IL 62704",
    "Customer: I'm 93 and my husband is 95 years old, ninety  percent sure, 101 yo",
    "Customer: my grandmother is about ninety seven, a hundred and two next May",
    "Customer: it's jane dot doe at example dot com or j underscore doe at mail dot co dot uk",
    "Agent: SSN 234-56-7891, 234 56 7891, 234567891, 1234567890, NPI 1234567893",
    "IPs 10.0.0.1/24, fe80::1%eth0, ::ffff:192.0.2.1, at 12:34:56, version 1.2.3.4",
    "Customer: the VIN is 1M8GDM9AXKP042788, IMEI 49-015420-323751-8, DEA BJ6125341",
    "see https://example.com/u/jane-doe. or www.example.org/path, MBI 1EG4-TE5-MK73",
    "Agent: date of birth?\nCustomer: March third, nineteen eighty two\nAgent: and your zip?",
    "Agent: and your social?\nCustomer: two three four, five six\nAgent: uh huh\nCustomer: 7891",
    "Customer: my driver's license is D1234567 and my nursing license is RN 882104",
    "Note added 2024-05-12 09:30: visit on 14.02.2023, refill the fifth of June, 3 June 2024",
    "2024-05-12 09:30:01 INFO call started\n[2024-05-12 09:30:05] Agent: hello",
    "Customer: hi, my name is Oluwaseun Adeyemi, I live in Springfield, Ohio.",
    "Agent: what's your last name?\nCustomer: Okonkwo\nAgent: Thanks Priya, and your zip?",
    "Patient name: Tomasz Wojcik\nName: hyuuma t. maida\nNurse: Dr. Okafor will call you",
]


def _corpus() -> Iterator[str]:
    yield from EDGES
    for pack in ("hipaa.yaml", "hipaa_ner.yaml"):
        rules = yaml.safe_load((builtin_rules_dir() / pack).read_text(encoding="utf-8"))
        for rule in rules:
            yield from rule["examples"].get("bad", [])
            yield from rule["examples"].get("good", [])
    yield "\n".join(EDGES)


def _findings(scanner: Scanner) -> list[tuple[str, str, int, int]]:
    found = []
    for text in _corpus():
        for document in callguard.formats.read_text("call.txt", text):
            for finding in scanner.scan_document(document):
                location = finding.location
                found.append((text, finding.rule_id, location.char_offset, location.char_length))
    return sorted(found)


class _OpenGate(search.RuleGate):
    def active(self, text: str) -> list[bool]:
        return [True] * len(super().active(text))


def _plain_finditer(
    self: search.FastRegex,
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    last_start: int | None = None,
) -> Iterator[re.Match[str]]:
    stop = len(text) if end is None else end
    limit = stop if last_start is None else last_start
    return (m for m in self.regex.finditer(text, start, stop) if m.start() < limit)


@pytest.mark.parametrize("profile", ["hipaa"])
def test_prefilters_and_triggers_change_no_finding(
    profile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = _findings(Scanner(profile=profile))
    monkeypatch.setattr(search.FastRegex, "finditer", _plain_finditer)
    monkeypatch.setattr("callguard.engine.RuleGate", _OpenGate)
    assert _findings(Scanner(profile=profile)) == shipped
    assert len(shipped) > 40
