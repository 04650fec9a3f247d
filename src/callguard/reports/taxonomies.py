"""SARIF taxonomies: PCI DSS and HIPAA requirements as taxa that rules point at.

Every rule cites requirements as strings ("PCI DSS v4.0 3.4.1", "HIPAA 45 CFR 164.312(e)(1)",
"45 CFR 164.514(b)(2)(i)(G)"). In SARIF these become `run.taxonomies` (one toolComponent per
framework, with a taxon per cited requirement) and, on each rule descriptor, a `relationships`
entry per citation, so a viewer can group results by requirement. Citations of frameworks with
no taxonomy here (NACHA, the FTC Safeguards Rule) stay in the rule's tags only.
The short descriptions are our summaries, not the standards' text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from callguard.model import RuleMeta

PCI = "PCI DSS"
HIPAA = "HIPAA"

_PCI_CITE = re.compile(r"^PCI DSS v4\.0\s+(\d{1,2}(?:\.\d{1,2}){1,4})\b")
_HIPAA_CITE = re.compile(r"^(?:HIPAA\s+)?45 CFR\s+(164\.(?:312|514)(?:\([A-Za-z0-9]{1,4}\)){0,6})")

_PCI_TAXA = {
    "1.3.1": "Inbound traffic to the cardholder data environment is restricted",
    "1.4.1": "Network controls sit between trusted and untrusted networks",
    "2.2.4": "Only necessary services, protocols and functions are enabled",
    "2.2.6": "System security parameters are configured to prevent misuse",
    "3.2.1": "Account data storage is kept to a minimum",
    "3.3.1": "Sensitive authentication data is not kept after authorization",
    "3.3.1.1": "Full track data is not kept after authorization",
    "3.3.1.2": "Card verification codes are not kept after authorization",
    "3.3.1.3": "PINs and PIN blocks are not kept after authorization",
    "3.4.1": "PAN is masked when displayed",
    "3.5.1": "PAN is rendered unreadable wherever it is stored",
    "3.6.1": "Keys protecting stored account data are protected",
    "3.6.1.2": "Secret and private keys are stored encrypted or in a secure device",
    "3.7.4": "Keys are changed at the end of their cryptoperiod",
    "4.2.1": "Strong cryptography protects PAN in transit over open networks",
    "7.2.1": "Access is granted by least privilege",
    "8.2.1": "Every user has a unique ID",
    "8.3.2": "Authentication factors are unreadable in storage and transit",
    "8.6.2": "Passwords of system accounts are not hard-coded in files",
    "10.3.1": "Read access to audit logs is limited",
    "10.3.2": "Audit logs are protected from modification",
    "10.3.4": "Changes to audit logs are detected",
}
_HIPAA_TAXA = {
    "164.312(a)(1)": "Access control",
    "164.312(a)(2)(iv)": "Encryption and decryption of ePHI",
    "164.312(b)": "Audit controls",
    "164.312(c)(1)": "Integrity of ePHI",
    "164.312(d)": "Person or entity authentication",
    "164.312(e)(1)": "Transmission security",
    "164.312(e)(2)(ii)": "Encryption of ePHI in transmission",
}
_SAFE_HARBOR = dict(
    zip(
        "ABCDEFGHIJKLMNOPQR",
        (
            "Names",
            "Geographic subdivisions smaller than a state",
            "Dates related to an individual",
            "Telephone numbers",
            "Fax numbers",
            "Email addresses",
            "Social Security numbers",
            "Medical record numbers",
            "Health plan beneficiary numbers",
            "Account numbers",
            "Certificate and license numbers",
            "Vehicle identifiers",
            "Device identifiers",
            "URLs",
            "IP addresses",
            "Biometric identifiers",
            "Full-face photographs",
            "Other unique identifying numbers",
        ),
        strict=True,
    )
)


@dataclass(frozen=True)
class Component:
    name: str
    full_name: str
    version: str
    organization: str
    information_uri: str


COMPONENTS = (
    Component(
        PCI,
        "Payment Card Industry Data Security Standard",
        "4.0",
        "PCI Security Standards Council",
        "https://www.pcisecuritystandards.org/",
    ),
    Component(
        HIPAA,
        "HIPAA Security Rule (45 CFR 164.312) and de-identification (45 CFR 164.514)",
        "45 CFR Part 164",
        "U.S. Department of Health and Human Services",
        "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164",
    ),
)


def parse_citation(cite: str) -> tuple[str, str] | None:
    """(framework, requirement id) of a citation string; None for frameworks we do not map."""
    found = _PCI_CITE.match(cite)
    if found:
        return PCI, found.group(1)
    found = _HIPAA_CITE.match(cite)
    if found:
        return HIPAA, found.group(1)
    return None


def describe(framework: str, requirement: str) -> str:
    if framework == PCI:
        return _PCI_TAXA.get(requirement, f"PCI DSS v4.0 requirement {requirement}")
    if requirement in _HIPAA_TAXA:
        return _HIPAA_TAXA[requirement]
    letter = re.fullmatch(r"164\.514\(b\)\(2\)\(i\)\(([A-R])\)", requirement)
    if letter:
        return f"Safe Harbor identifier: {_SAFE_HARBOR[letter.group(1)]}"
    return f"45 CFR {requirement}"


def _sort_key(requirement: str) -> list[tuple[int, str]]:
    return [
        (int(part), "") if part.isdigit() else (0, part)
        for part in re.findall(r"\d+|[a-zA-Z]+", requirement)
    ]


class Taxonomies:
    """The taxonomies of a set of rules, and the relationships of each rule to their taxa."""

    def __init__(self, rules: Iterable[RuleMeta]) -> None:
        cited: dict[str, set[str]] = {component.name: set() for component in COMPONENTS}
        for meta in rules:
            for cite in meta.cite:
                parsed = parse_citation(cite)
                if parsed:
                    cited[parsed[0]].add(parsed[1])
        self._taxa = {name: sorted(ids, key=_sort_key) for name, ids in cited.items()}
        self._components = [c for c in COMPONENTS if self._taxa[c.name]]

    def supported(self) -> list[dict[str, Any]]:
        """`tool.driver.supportedTaxonomies`: references to the taxonomies the log carries."""
        return [{"name": c.name, "index": i} for i, c in enumerate(self._components)]

    def components(self) -> list[dict[str, Any]]:
        """`run.taxonomies`: one toolComponent per framework with a taxon per requirement."""
        return [
            {
                "name": component.name,
                "fullName": component.full_name,
                "version": component.version,
                "organization": component.organization,
                "informationUri": component.information_uri,
                "isComprehensive": False,
                "shortDescription": {"text": component.full_name},
                "taxa": [
                    {"id": taxon, "shortDescription": {"text": describe(component.name, taxon)}}
                    for taxon in self._taxa[component.name]
                ],
            }
            for component in self._components
        ]

    def relationships(self, meta: RuleMeta) -> list[dict[str, Any]]:
        """One `relevant` relationship per citation of `meta` that maps to a taxon."""
        found = []
        positions = {c.name: i for i, c in enumerate(self._components)}
        targets = dict.fromkeys(filter(None, map(parse_citation, meta.cite)))
        for framework, requirement in targets:
            if framework not in positions:
                continue
            found.append(
                {
                    "target": {
                        "id": requirement,
                        "index": self._taxa[framework].index(requirement),
                        "toolComponent": {"name": framework, "index": positions[framework]},
                    },
                    "kinds": ["relevant"],
                }
            )
        return found
