"""Where rules come from: the YAML packs in `rules/`, extra packs, and third-party plugins.

A YAML entry is checked field by field; a bad one fails with one line naming the file and the
rule id. Plugins register a callable under the entry-point group `callguard.rules` that returns
rule objects (anything with `meta` and `scan`, see `callguard.rule.Rule`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from callguard.detectors.patterns import Pattern, PatternRule
from callguard.detectors.search import FastRegex
from callguard.errors import RuleError
from callguard.model import RuleMeta, Severity
from callguard.named import named_code
from callguard.rule import Rule

T = TypeVar("T")

ENTRY_POINT_GROUP = "callguard.rules"
RULE_DOCS_URI = "https://github.com/callguard/callguard/blob/main/docs/rules.md"
PROFILES = ("pci", "hipaa", "config")

_REQUIRED = (
    "id",
    "title",
    "entity_type",
    "severity",
    "profiles",
    "what",
    "why",
    "cite",
    "examples",
)
_KNOWN = frozenset(
    (
        *_REQUIRED,
        "confidence",
        "since",
        "status",
        "fix",
        "patterns",
        "context",
        "negative_context",
        "context_window",
        "normalize",
        "validate",
        "describe",
        "candidates",
        "help_uri",
        "prefilter",
        "trigger",
        "max_length",
        "detector",
        "options",
    )
)
_RULE_ID = re.compile(r"[A-Z][A-Z0-9]{1,15}(?:-[A-Z0-9]{1,15})?")


def builtin_rules_dir() -> Path:
    """The built-in packs: inside the installed wheel, or `rules/` of a source checkout."""
    packaged = Path(__file__).with_name("_rules")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def builtin_rules() -> list[Rule]:
    """Every rule of the built-in YAML packs."""
    rules: list[Rule] = []
    for pack in sorted(builtin_rules_dir().glob("*.yaml")):
        rules.extend(load_pack(pack))
    return rules


def plugin_rules() -> list[Rule]:
    """Rules from installed third-party packages (entry-point group `callguard.rules`)."""
    rules: list[Rule] = []
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            provided = entry_point.load()()
        except Exception as exc:
            raise RuleError(
                f"plugin {entry_point.name} ({entry_point.value}): failed to load: {exc}"
            ) from exc
        for rule in provided:
            if not isinstance(rule, Rule):
                raise RuleError(f"plugin {entry_point.name}: {rule!r} is not a callguard rule")
            rules.append(rule)
    return rules


def all_rules(extra_packs: Iterable[Path] = ()) -> list[Rule]:
    """Built-in, extra-pack and plugin rules; ids must be unique across all of them."""
    rules = builtin_rules()
    for pack in extra_packs:
        rules.extend(load_pack(pack))
    rules.extend(plugin_rules())
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.meta.id in seen:
            raise RuleError(
                f"{rule.meta.source}: {rule.meta.id}: id already defined in {seen[rule.meta.id]}"
            )
        seen[rule.meta.id] = rule.meta.source
    return rules


def load_pack(path: Path) -> list[Rule]:
    """Load one YAML rule pack, validating every entry."""
    import yaml

    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{path}: cannot read rule pack: {exc}") from exc
    if not isinstance(entries, list):
        raise RuleError(f"{path}: a rule pack is a YAML list of rules")
    return [rule_from_dict(entry, source=str(path)) for entry in entries]


def rule_from_dict(entry: Any, *, source: str) -> Rule:
    """Build a PatternRule from one YAML entry."""
    if not isinstance(entry, Mapping):
        raise RuleError(f"{source}: every rule is a mapping")
    rule_id = str(entry.get("id", "<no id>"))
    where = f"{source}: {rule_id}"
    missing = [key for key in _REQUIRED if key not in entry]
    if missing:
        raise RuleError(f"{where}: missing required field(s): {', '.join(missing)}")
    unknown = sorted(set(entry) - _KNOWN)
    if unknown:
        raise RuleError(f"{where}: unknown field(s): {', '.join(unknown)}")
    if not _RULE_ID.fullmatch(rule_id):
        raise RuleError(f"{where}: id must look like PCI001 or HIPAA-MRN1")
    meta = _meta(entry, rule_id, where, source)
    code = named_code()
    if "detector" in entry:
        return _code_rule(entry, meta, where)
    if "patterns" not in entry:
        raise RuleError(f"{where}: a rule needs `patterns` or a `detector`")
    return PatternRule(
        meta,
        _patterns(
            entry["patterns"], _prefilter(entry.get("prefilter"), f"{where}: prefilter"), where
        ),
        context=_strings(entry, "context", where),
        negative_context=_strings(entry, "negative_context", where),
        context_window=int(entry.get("context_window", 64)),
        normalize=_lookup(entry, "normalize", code.normalizers, where),
        validate=tuple(
            code.validators[name] for name in _names(entry, "validate", code.validators, where)
        ),
        describe=_lookup(entry, "describe", code.describers, where),
        expand=_lookup(entry, "candidates", code.expanders, where),
        trigger=_prefilter(entry.get("trigger"), f"{where}: trigger"),
        max_length=_max_length(entry.get("max_length"), where),
    )


def _max_length(value: Any, where: str) -> int | None:
    """The longest match a pattern rule declares (characters), if it declares one."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RuleError(f"{where}: max_length must be a positive number of characters")
    return value


def _code_rule(entry: Mapping[str, Any], meta: RuleMeta, where: str) -> Rule:
    """A rule whose logic is code: the named detector factory gets the metadata and options."""
    factory = _lookup(entry, "detector", named_code().detectors, where)
    options = entry.get("options", {})
    if factory is None or not isinstance(options, Mapping):
        raise RuleError(f"{where}: `detector` needs a name and `options` a mapping")
    try:
        return factory(meta, options)
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleError(
            f"{where}: invalid options for detector {entry['detector']}: {exc}"
        ) from None


def _meta(entry: Mapping[str, Any], rule_id: str, where: str, source: str) -> RuleMeta:
    try:
        severity = Severity.parse(str(entry["severity"]))
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}") from None
    confidence = entry.get("confidence", 0.5)
    if not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        raise RuleError(f"{where}: confidence must be a number from 0 to 1")
    profiles = _strings(entry, "profiles", where)
    if not profiles or any(profile not in PROFILES for profile in profiles):
        raise RuleError(f"{where}: profiles must be a list drawn from {', '.join(PROFILES)}")
    examples = entry["examples"]
    if not isinstance(examples, Mapping) or not examples.get("bad") or not examples.get("good"):
        raise RuleError(f"{where}: examples needs non-empty `bad` and `good` lists")
    cite = _strings(entry, "cite", where)
    if not cite:
        raise RuleError(f"{where}: cite needs at least one requirement")
    return RuleMeta(
        id=rule_id,
        title=str(entry["title"]),
        entity_type=str(entry["entity_type"]),
        severity=severity,
        confidence=float(confidence),
        profiles=profiles,
        what=" ".join(str(entry["what"]).split()),
        why=" ".join(str(entry["why"]).split()),
        cite=cite,
        examples_bad=tuple(str(text) for text in examples["bad"]),
        examples_good=tuple(str(text) for text in examples["good"]),
        since=str(entry.get("since", "0.1.0")),
        status=str(entry.get("status", "stable")),
        fix=" ".join(str(entry.get("fix", "")).split()),
        help_uri=str(entry.get("help_uri", f"{RULE_DOCS_URI}#{rule_id.lower()}")),
        source=source,
    )


def _patterns(value: Any, prefilter: str | None, where: str) -> tuple[Pattern, ...]:
    if not isinstance(value, list) or not value:
        raise RuleError(f"{where}: patterns must be a non-empty list")
    patterns = []
    for item in value:
        if not isinstance(item, Mapping) or "name" not in item or "regex" not in item:
            raise RuleError(f"{where}: each pattern needs `name` and `regex`")
        try:
            regex = re.compile(str(item["regex"]))
        except re.error as exc:
            raise RuleError(f"{where}: pattern {item['name']}: invalid regex: {exc}") from None
        score = item.get("score")
        patterns.append(
            Pattern(
                str(item["name"]),
                FastRegex(regex, prefilter),
                None if score is None else float(score),
            )
        )
    return tuple(patterns)


def _prefilter(text: Any, where: str) -> str | None:
    """A rule's RE2 prefilter (see detectors/search.py), checked to compile under RE2."""
    if text is None:
        return None
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        return None
    try:
        re2.compile(str(text))
    except re2.error as exc:
        raise RuleError(f"{where}: invalid RE2 regex: {exc}") from None
    return str(text)


def _strings(entry: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str) or not isinstance(value, list):
        raise RuleError(f"{where}: {key} must be a list of strings")
    return tuple(str(item) for item in value)


def _lookup(entry: Mapping[str, Any], key: str, known: Mapping[str, T], where: str) -> T | None:
    """The function a rule names under `key`, or None if the key is absent."""
    name = entry.get(key)
    if name is None:
        return None
    if name not in known:
        raise RuleError(f"{where}: {key} must be one of {', '.join(sorted(known))}, got {name!r}")
    return known[name]


def _names(entry: Mapping[str, Any], key: str, known: Mapping[str, Any], where: str) -> list[str]:
    names = entry.get(key, [])
    names = [names] if isinstance(names, str) else names
    for name in names:
        if name not in known:
            raise RuleError(f"{where}: {key}: unknown validator {name!r}")
    return [str(name) for name in names]
