"""Declarative setting assertions: the engine behind every data-only config check.

A config format turns a file into `Document.settings` (see `callguard.document.Setting`) using
three conventions, so that one evaluator serves nginx, sshd, Terraform and the rest:

* `Setting.section` is the dotted path of the enclosing block, "" at top level
  (`http.server[0]`, `mysqld`, `match[1]`, `resource.aws_s3_bucket.logs`);
* `Setting.key` is `section + "." + name` (just `name` at top level);
* a block's header is itself a Setting whose key equals its section, with the header's
  arguments as value (`location /status`, `<VirtualHost *:80>` -> "*:80"); findings about an
  absent setting point there (or at the section's first setting, or at line 1).

A rule's `options` are one assertion, or `assertions: [...]`, each a mapping:

    kinds: [nginx]             # Document.format values the assertion applies to
    scope: "http.server[*]"    # glob(s) over sections; default "" (top level)
    setting: ssl_protocols     # name (or list of aliases), case-insensitive, "-" == "_"
    inherit: true              # look in enclosing sections when absent (nginx, Match blocks)
    occurrences: last          # last (later overrides earlier) | first (sshd) | each (report
                               # every one) | any (passes if any occurrence passes)
    default: "TLSv1.2"         # the product's documented default when absent
    missing: pass              # without a default: pass | fail ("not set" is a finding)
    only_if: [{setting: listen, matches: '\\bssl\\b'}]   # preconditions in the same unit
    unless: [{setting: aclfile}]                         # skip the unit if any holds
    fail_if: {tokens_in: [TLSv1, TLSv1.1]}              # or pass_if: {...}
    secret: false              # true: the value is never described (passwords)
    reason: "..."              # short safe text for the finding detail

Scope globs: `*` is any text, `[*]` any index; a dotted `setting` (`security.authorization`)
names a setting in a subsection of the unit.

Conditions (all keys of one mapping must hold): `equals`, `in`, `not_in`, `matches`,
`not_matches` (case-insensitive regex search), `tokens_in` (any word of the value, split on
space/comma/colon, is listed), `tokens_match` (any included token, i.e. not starting with
`!` or `-`, fully matches), `less_than`, `greater_than` (numbers; `30s`/`15m`/`2h`/`1d`
durations become seconds), `extract` (regex whose group 1 replaces the value first),
`check` (a named Python check returning a reason or None), `not`, `any` (list).
Default when absent applies only in the outermost applicable unit of a chain, so an sshd
`Match` block does not repeat a finding the global section already gives. Use from another
module: `DETECTORS = {"my_setting": assertion_factory(MY_CHECKS)}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from callguard.document import Document, Setting
from callguard.model import RuleMeta
from callguard.rule import Match, Rule

# A named value check: the value in, a short safe reason out when the value is bad.
ValueCheck = Callable[[str], "str | None"]
Span = tuple[int, int]
# (setting names, condition or None for "present") of an only_if / unless item
Precondition = tuple[tuple[str, ...], "Condition | None"]

_TOKEN_SPLIT = re.compile(r"[\s,:;]+")
_DURATION = re.compile(r"(?i)(\d{1,12})\s{0,2}([smhdw]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
# fmt: off
_CONDITION_KEYS = frozenset((
    "equals", "in", "not_in", "matches", "not_matches", "tokens_in", "tokens_match",
    "less_than", "greater_than", "extract", "check", "not", "any",
))
_ASSERTION_KEYS = frozenset((
    "kinds", "scope", "setting", "inherit", "occurrences", "default", "missing", "only_if",
    "fail_if", "pass_if", "secret", "reason", "example_path", "unless",
))
# fmt: on


def normalise_name(name: str) -> str:
    """Setting names compare case-insensitively, with `-` and `_` the same (MySQL, Redis);
    a dotted name's section part (`net.tls` of `net.tls.mode`) only case-insensitively."""
    inner, dot, leaf = name.strip().rpartition(".")
    return f"{inner.lower()}{dot}{leaf.lower().replace('-', '_')}"


def parse_number(value: str) -> float | None:
    """A number or a duration in seconds (`900`, `15m`, `1h30m`); None if it is neither."""
    text = value.strip().strip("\"'")
    try:
        return float(text)
    except ValueError:
        pass
    parts = _DURATION.findall(text)
    if not parts or _DURATION.sub("", text).strip():
        return None
    return float(sum(int(number) * _UNIT_SECONDS[unit.lower()] for number, unit in parts))


def tokens(value: str) -> list[str]:
    """The words of a list-valued setting (`TLSv1 TLSv1.1`, `aes128-cbc,aes256-ctr`)."""
    return [token for token in _TOKEN_SPLIT.split(value.strip().strip("\"'")) if token]


@dataclass(frozen=True)
class Condition:
    """A predicate on one setting value, parsed from a rule's YAML mapping."""

    spec: Mapping[str, Any]
    checks: Mapping[str, ValueCheck] = field(repr=False)

    @classmethod
    def parse(cls, spec: Any, checks: Mapping[str, ValueCheck]) -> Condition:
        if not isinstance(spec, Mapping) or not spec:
            raise ValueError("a condition is a non-empty mapping")
        unknown = sorted(set(spec) - _CONDITION_KEYS)
        if unknown:
            raise ValueError(f"unknown condition key(s): {', '.join(unknown)}")
        if "check" in spec and spec["check"] not in checks:
            raise ValueError(f"unknown check {spec['check']!r}")
        for key in ("matches", "not_matches", "tokens_match", "extract"):
            if key in spec:
                re.compile(str(spec[key]))
        for nested in spec.get("any", []):
            cls.parse(nested, checks)
        if "not" in spec:
            cls.parse(spec["not"], checks)
        return cls(spec, checks)

    def reason(self, value: str) -> str | None:
        """None if the condition does not hold; else a short reason (may be empty)."""
        spec = self.spec
        if "extract" in spec:
            found = re.search(str(spec["extract"]), value, re.IGNORECASE)
            if found is None:
                return None
            value = found.group(1)
        reasons: list[str] = []
        for key, expected in spec.items():
            if key == "extract":
                continue
            outcome = self._test(key, expected, value)
            if outcome is None:
                return None
            reasons.append(outcome)
        return "; ".join(reason for reason in reasons if reason)

    def _test(self, key: str, expected: Any, value: str) -> str | None:
        folded = value.strip().strip("\"'").lower()
        if key == "equals":
            return "" if folded == str(expected).lower() else None
        if key in ("in", "not_in"):
            listed = folded in {str(item).lower() for item in expected}
            return "" if listed == (key == "in") else None
        if key in ("matches", "not_matches"):
            found = re.search(str(expected), value, re.IGNORECASE) is not None
            return "" if found == (key == "matches") else None
        if key == "tokens_in":
            wanted = {str(item).lower() for item in expected}
            bad = [token for token in tokens(value) if token.lower() in wanted]
            return ", ".join(bad) if bad else None
        if key == "tokens_match":
            pattern = re.compile(str(expected), re.IGNORECASE)
            bad = [
                token
                for token in tokens(value)
                if not token.startswith(("!", "-")) and pattern.fullmatch(token.lstrip("+^"))
            ]
            return ", ".join(bad) if bad else None
        if key in ("less_than", "greater_than"):
            number = parse_number(value)
            if number is None:
                return None
            below = number < float(expected)
            return "" if (below if key == "less_than" else number > float(expected)) else None
        if key == "check":
            return self.checks[str(expected)](value)
        if key == "not":
            return "" if Condition(expected, self.checks).reason(value) is None else None
        for nested in expected:  # "any"
            found_reason = Condition(nested, self.checks).reason(value)
            if found_reason is not None:
                return found_reason
        return None


class SettingIndex:
    """Settings of one Document by section and normalised name, plus section headers."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.headers: dict[str, Setting] = {}
        self.by_section: dict[str, dict[str, list[Setting]]] = {"": {}}
        for setting in document.settings:
            section = setting.section.lower()
            if setting.key == setting.section:
                self.headers.setdefault(section, setting)
                self.by_section.setdefault(section, {})
                continue
            name = setting.key[len(section) + 1 :] if section else setting.key
            names = self.by_section.setdefault(section, {})
            names.setdefault(normalise_name(name), []).append(setting)

    def sections(self, patterns: Sequence[str]) -> list[str]:
        """Sections matching any glob, in document order of their headers."""
        regexes = [_glob(pattern.lower()) for pattern in patterns]
        return [s for s in self.by_section if any(r.fullmatch(s) for r in regexes)]

    def find(self, section: str, names: Sequence[str], inherit: bool) -> list[Setting]:
        """Occurrences of a setting in `section`, else (inherit) its nearest ancestor's."""
        keys = [normalise_name(name) for name in names]
        current: str | None = section.lower()
        while current is not None:
            found = [s for key in keys for s in self._here(current, key)]
            if found:
                return sorted(found, key=lambda setting: setting.raw.start)
            current = parent_section(current) if inherit else None
        return []

    def _here(self, section: str, name: str) -> list[Setting]:
        """Occurrences of `name` (possibly dotted: `net.tls.mode`) directly under `section`."""
        if "." in name:
            inner, name = name.rsplit(".", 1)
            section = f"{section}.{inner}" if section else inner
        return self.by_section.get(section, {}).get(name, [])

    def deepest(self, section: str, name: str) -> str:
        """The deepest existing section on the way to a dotted name: where to report it absent."""
        for part in name.split(".")[:-1]:
            inner = f"{section}.{part}" if section else part
            if inner not in self.by_section:
                break
            section = inner
        return section

    def anchor(self, section: str) -> Span:
        """Where an absent setting is reported: header, first setting, or line 1."""
        header = self.headers.get(section)
        if header is not None:
            return header.raw.start, header.raw.end
        table = self.by_section.get(section, {})
        first = min(
            (s for group in table.values() for s in group),
            default=None,
            key=lambda setting: setting.raw.start,
        )
        if section and first is not None:
            return first.raw.start, first.raw.end
        raw = self.document.raw_text
        end = raw.find("\n")
        return 0, (len(raw) if end < 0 else end)


def parent_section(section: str) -> str | None:
    """`http.server[0]` -> `http` -> "" -> None."""
    if not section:
        return None
    return section.rsplit(".", 1)[0] if "." in section else ""


@dataclass(frozen=True)
class Violation:
    """One failed assertion: where, a safe description of the value, and why it fails."""

    span: Span
    description: str
    reason: str


@dataclass(frozen=True)
class Assertion:
    """One declarative check of one setting in some sections of some kinds of file."""

    kinds: tuple[str, ...]
    scopes: tuple[str, ...]
    names: tuple[str, ...]
    label: str
    condition: Condition
    negate: bool  # True for pass_if: the finding is when the condition does NOT hold
    inherit: bool = False
    occurrences: str = "last"
    default: str | None = None
    missing: str = "pass"
    only_if: tuple[Precondition, ...] = ()
    unless: tuple[Precondition, ...] = ()
    secret: bool = False
    reason: str = ""

    @classmethod
    def parse(cls, spec: Mapping[str, Any], checks: Mapping[str, ValueCheck]) -> Assertion:
        """Build from a YAML mapping; raises ValueError/KeyError naming the bad key."""
        unknown = sorted(set(spec) - _ASSERTION_KEYS)
        if unknown:
            raise ValueError(f"unknown assertion key(s): {', '.join(unknown)}")
        if ("fail_if" in spec) == ("pass_if" in spec):
            raise ValueError("give exactly one of fail_if and pass_if")
        names = _as_tuple(spec["setting"])
        occurrences = str(spec.get("occurrences", "last"))
        missing = str(spec.get("missing", "pass"))
        if occurrences not in ("last", "first", "each", "any") or missing not in ("pass", "fail"):
            raise ValueError("occurrences is last|first|each|any and missing is pass|fail")
        default = spec.get("default")
        return cls(
            kinds=_as_tuple(spec["kinds"]),
            scopes=_as_tuple(spec.get("scope", "")),
            names=tuple(normalise_name(name) for name in names),
            label=names[0],
            condition=Condition.parse(spec.get("fail_if", spec.get("pass_if")), checks),
            negate="pass_if" in spec,
            inherit=bool(spec.get("inherit", False)),
            occurrences=occurrences,
            default=None if default is None else str(default),
            missing=missing,
            only_if=_preconditions(spec.get("only_if", []), checks),
            unless=_preconditions(spec.get("unless", []), checks),
            secret=bool(spec.get("secret", False)),
            reason=str(spec.get("reason", "")),
        )

    def evaluate(self, index: SettingIndex) -> Iterator[Violation]:
        """Every violation of this assertion in the indexed document."""
        if index.document.format not in self.kinds:
            return
        units = [s for s in index.sections(self.scopes) if self._applies(index, s)]
        for section in units:
            found = index.find(section, self.names, self.inherit)
            if found:
                yield from self._judge_present(found)
            elif not _has_unit_ancestor(section, units):
                anchor = index.anchor(index.deepest(section, self.names[0]))
                yield from self._judge_absent(anchor)

    def _applies(self, index: SettingIndex, section: str) -> bool:
        def holds(names: tuple[str, ...], condition: Condition | None) -> bool:
            found = index.find(section, names, self.inherit)
            return bool(found) and (
                condition is None or any(condition.reason(s.value) is not None for s in found)
            )

        return all(holds(*item) for item in self.only_if) and not any(
            holds(*item) for item in self.unless
        )

    def _judge_present(self, found: list[Setting]) -> Iterator[Violation]:
        if self.occurrences == "any":
            if all(self._failure(s.value) is not None for s in found):
                last = found[-1]
                yield Violation((last.raw.start, last.raw.end), self._describe(last.value), "")
            return
        chosen = {"each": found, "first": found[:1]}.get(self.occurrences, found[-1:])
        for setting in chosen:
            reason = self._failure(setting.value)
            if reason is not None:
                span = (setting.raw.start, setting.raw.end)
                yield Violation(span, self._describe(setting.value), reason)

    def _judge_absent(self, anchor: Span) -> Iterator[Violation]:
        if self.default is not None:
            reason = self._failure(self.default)
            if reason is not None:
                described = f"{self.label} not set (default {self.default})"
                yield Violation(anchor, described, reason)
        elif self.missing == "fail":
            yield Violation(anchor, f"{self.label} not set", "")

    def _failure(self, value: str) -> str | None:
        reason = self.condition.reason(value)
        if self.negate:
            return "" if reason is None else None
        return reason

    def _describe(self, value: str) -> str:
        if self.secret:
            return f"{self.label} is set (value not shown)"
        shown = " ".join(value.split())
        return f"{self.label} {shown[:120]}".strip()


class AssertionRule:
    """A Rule made of assertions; a finding per violation, at most one per raw place."""

    def __init__(self, meta: RuleMeta, assertions: tuple[Assertion, ...], example_path: str):
        self.meta = meta
        self.assertions = assertions
        # The generic registry test scans `examples` as files of this name (content-detected).
        self.example_path = example_path

    def scan(self, document: Document) -> Iterator[Match]:
        if not document.settings:
            return
        index = SettingIndex(document)
        seen: set[Span] = set()
        for assertion in self.assertions:
            for violation in assertion.evaluate(index):
                if violation.span in seen:
                    continue
                seen.add(violation.span)
                yield violation_match(self.meta, violation, assertion.reason)


def violation_match(meta: RuleMeta, violation: Violation, note: str = "") -> Match:
    """The Match for a violation: confidence 1.0, a safe value, the raw line as the place."""
    parts = (violation.description, violation.reason, note)
    return Match(
        rule_id=meta.id,
        confidence=1.0,
        value=violation.description,
        raw_spans=(violation.span,),
        detail="; ".join(part for part in parts if part),
    )


def assertion_factory(
    checks: Mapping[str, ValueCheck], *, example_path: str = "example.conf"
) -> Callable[[RuleMeta, Mapping[str, Any]], Rule]:
    """A DETECTORS factory for assertion rules that may name the given value checks."""

    def build(meta: RuleMeta, options: Mapping[str, Any]) -> Rule:
        specs = options.get("assertions", [options])
        if not isinstance(specs, list) or not specs:
            raise ValueError("assertions must be a non-empty list")
        assertions = tuple(Assertion.parse(spec, checks) for spec in specs)
        return AssertionRule(meta, assertions, str(options.get("example_path", example_path)))

    return build


def _preconditions(items: Any, checks: Mapping[str, ValueCheck]) -> tuple[Precondition, ...]:
    result = []
    for item in items:
        rest = {key: value for key, value in item.items() if key != "setting"}
        names = tuple(normalise_name(name) for name in _as_tuple(item["setting"]))
        result.append((names, Condition.parse(rest, checks) if rest else None))
    return tuple(result)


def _glob(pattern: str) -> re.Pattern[str]:
    """Scope glob to regex: `*` any text, `[*]` any index, the rest literal."""
    parts = [re.escape(part).replace(r"\*", ".*") for part in pattern.split("[*]")]
    return re.compile(r"\[\d+\]".join(parts))


def _as_tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else (str(value),)


def _has_unit_ancestor(section: str, units: Sequence[str]) -> bool:
    parent = parent_section(section)
    while parent is not None:
        if parent in units:
            return True
        parent = parent_section(parent)
    return False
