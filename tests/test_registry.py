"""Rule packs: every built-in rule is complete, its examples hold, and bad packs fail clearly."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from callguard import Finding, Scanner
from callguard.errors import RuleError
from callguard.registry import builtin_rules, load_pack

BUILTIN = builtin_rules()
_FILE_MARKER = re.compile(r"# file: (\S+)(?: \(mode (0[0-7]{3})\))?\n")


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda rule: rule.meta.id)
def test_bad_examples_are_found(rule: object) -> None:
    meta = rule.meta  # type: ignore[attr-defined]
    scanner = Scanner(rules=[rule])  # type: ignore[list-item]
    for example in meta.examples_bad:
        assert [f.rule_id for f in _scan_example(scanner, rule, example)] == [meta.id], example


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda rule: rule.meta.id)
def test_good_examples_are_not_found(rule: object) -> None:
    meta = rule.meta  # type: ignore[attr-defined]
    scanner = Scanner(rules=[rule])  # type: ignore[list-item]
    for example in meta.examples_good:
        assert _scan_example(scanner, rule, example) == [], example


def _scan_example(scanner: Scanner, rule: object, example: str) -> list[Finding]:
    """Config rules' examples are whole files, read (format detected) as a file named by a
    first line `# file: NAME`, or by the rule's `example_path`; other examples are text."""
    marker = _FILE_MARKER.match(example)
    path = marker.group(1) if marker else getattr(rule, "example_path", None)
    if path is None:
        return scanner.scan_text(example)
    if marker and marker.group(2):  # `# file: NAME (mode 0644)`: a real file with that mode
        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / path
            local.write_text(example, encoding="utf-8")
            local.chmod(int(marker.group(2), 8))
            return list(scanner.scan_paths([local]).findings)
    return scanner.scan_bytes(example.encode("utf-8"), path=path)


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda rule: rule.meta.id)
def test_every_rule_documents_itself(rule: object) -> None:
    meta = rule.meta  # type: ignore[attr-defined]
    assert meta.what
    assert meta.why
    assert meta.cite
    assert meta.help_uri.startswith("https://")
    frameworks = ("PCI DSS v4.0 ", "HIPAA ", "45 CFR ", "16 CFR ", "NACHA ")
    assert all(c.startswith(frameworks) for c in meta.cite)


GOOD_ENTRY = """
- id: TEST001
  title: Test rule
  entity_type: CREDIT_CARD
  severity: error
  profiles: [pci]
  patterns: [{name: digits, regex: '\\d{16}'}]
  what: finds
  why: because
  cite: ["PCI DSS v4.0 3.4.1"]
  examples: {bad: ["4111111111111111"], good: ["none"]}
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            ("severity: error", "severity: high"), "TEST001: severity must be", id="severity"
        ),
        pytest.param(
            ("  why: because\n", ""), "TEST001: missing required field(s): why", id="missing"
        ),
        pytest.param(
            ("profiles: [pci]", "profiles: [pcii]"), "TEST001: profiles must be", id="profile"
        ),
        pytest.param(
            ("regex: '\\d{16}'", "regex: '(\\d'"),
            "TEST001: pattern digits: invalid regex",
            id="regex",
        ),
        pytest.param(
            ("  what: finds", "  wat: x\n  what: finds"),
            "TEST001: unknown field(s): wat",
            id="typo",
        ),
        pytest.param(
            ('good: ["none"]', "good: []"), "TEST001: examples needs", id="no-good-example"
        ),
        pytest.param(("id: TEST001", "id: test 1"), "test 1: id must look like", id="bad-id"),
        pytest.param(
            ("  what: finds", "  trigger: '(?<=x)card'\n  what: finds"),
            "TEST001: trigger: invalid RE2 regex",
            id="trigger-with-lookbehind",
        ),
        pytest.param(
            ("  what: finds", "  max_length: -3\n  what: finds"),
            "TEST001: max_length must be a positive number",
            id="max-length",
        ),
    ],
)
def test_invalid_pack_names_file_and_rule(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    pack = tmp_path / "custom.yaml"
    old, new = change
    assert old in GOOD_ENTRY
    pack.write_text(GOOD_ENTRY.replace(old, new))
    with pytest.raises(RuleError) as error:
        load_pack(pack)
    assert str(error.value).startswith(f"{pack}: ")
    assert message in str(error.value)


def test_valid_custom_pack_loads_and_scans(tmp_path: Path) -> None:
    pack = tmp_path / "custom.yaml"
    pack.write_text(GOOD_ENTRY)
    (rule,) = load_pack(pack)
    findings = Scanner(rules=[rule]).scan_text("x 4111111111111111 y")
    assert [(f.rule_id, f.location.start_column) for f in findings] == [("TEST001", 3)]


def test_a_trigger_decides_when_a_pattern_rule_runs(tmp_path: Path) -> None:
    """With `trigger:`, the gate runs the rule only on texts holding it, whatever the patterns."""
    pack = tmp_path / "custom.yaml"
    pack.write_text(GOOD_ENTRY.replace("  what: finds", "  trigger: '(?i)card'\n  what: finds"))
    (rule,) = load_pack(pack)
    scanner = Scanner(rules=[rule])
    assert [f.rule_id for f in scanner.scan_text("card 4111111111111111")] == ["TEST001"]
    assert scanner.scan_text("number 4111111111111111") == []


def _longest_match(pattern: str) -> int:
    """The most characters a regex can match, from the standard library's own parser."""
    try:
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse as parser
    return int(parser.parse(pattern).getwidth()[1])


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda rule: rule.meta.id)
def test_a_declared_max_length_holds_every_match(rule: object) -> None:
    """The redaction read-back trusts `max_length` to say how far a match reaches."""
    declared = getattr(rule, "_max_length", None)
    if declared is None:
        return
    for pattern in rule._patterns:  # type: ignore[attr-defined]
        assert _longest_match(pattern.regex.regex.pattern) <= declared, pattern.name


def test_pci_pattern_rules_declare_their_max_length() -> None:
    pattern_rules = [r for r in BUILTIN if "pci" in r.meta.profiles and hasattr(r, "_patterns")]
    assert pattern_rules
    assert all(getattr(r, "_max_length", None) for r in pattern_rules)
