"""The plumbing every structural config check shares: a rule class, hits, resource views.

A check is a plain function `(tree, document) -> Iterable[Hit]`; `ConfigRule` runs it on
Documents whose parsed tree is of a kind the check reads, and turns each hit into a Match that
points at raw spans. A Hit names the resource or setting it is about (`subject`) and says what
is wrong (`detail`) in words safe to print: never a password, key or other secret value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from callguard.document import Document
from callguard.formats.iac import parsed_tree
from callguard.formats.iac_parse import Block, Path, Span, Tree, Unknown
from callguard.model import RuleMeta
from callguard.rule import Match, Rule

IAC_KINDS = frozenset({"terraform", "cloudformation"})


@dataclass(frozen=True)
class Hit:
    """One failed check: where (first span is the primary location), about what, and why."""

    spans: tuple[Span, ...]
    subject: str
    detail: str
    confidence: float | None = None


Check = Callable[[Tree, Document], Iterable[Hit]]


class ConfigRule:
    """A rule whose logic is a check over a parsed config tree."""

    def __init__(self, meta: RuleMeta, check: Check, kinds: frozenset[str]) -> None:
        self._meta = meta
        self._check = check
        self._kinds = kinds

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    def scan(self, document: Document) -> Iterator[Match]:
        """Run the check if the Document is a config of a kind it reads (and parsed cleanly)."""
        tree = parsed_tree(document)
        if tree is None or tree.kind not in self._kinds or tree.error is not None:
            return
        for hit in self._check(tree, document):
            yield Match(
                rule_id=self._meta.id,
                confidence=self._meta.confidence if hit.confidence is None else hit.confidence,
                value=hit.subject,
                raw_spans=hit.spans,
                detail=hit.detail,
            )


def detector(check: Check, kinds: Iterable[str]) -> Callable[[RuleMeta, Mapping[str, Any]], Rule]:
    """A DETECTORS factory for `check`, reading config kinds `kinds`."""
    accepted = frozenset(kinds)

    def factory(meta: RuleMeta, options: Mapping[str, Any]) -> Rule:
        return ConfigRule(meta, check, accepted)

    return factory


# -- AWS resources, the same view over Terraform and CloudFormation --------------------------


@dataclass(frozen=True)
class Resource:
    """One AWS resource: its type, name, attributes (Terraform) or Properties (CloudFormation)."""

    type: str
    name: str
    body: Mapping[str, Any]
    path: Path
    header: Path
    tree: Tree

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}" if self.tree.kind == "terraform" else self.name

    def at(self, *keys: str | int) -> Span:
        """The raw span of an attribute (or of the nearest enclosing block if it is missing)."""
        return self.tree.span((*self.path, *keys)) if keys else self.tree.span(self.header)

    def get(self, *keys: str | int) -> Any:
        """A nested attribute; Terraform's one-element block lists are stepped through."""
        return dig(self.body, *keys)

    def hit(self, detail: str, *keys: str | int, confidence: float | None = None) -> Hit:
        return Hit((self.at(*keys),), self.address, f"{self.address}: {detail}", confidence)


def resources(tree: Tree, *types: str) -> list[Resource]:
    """Every resource of one of `types` (Terraform type or CloudFormation `AWS::…` type)."""
    found: list[Resource] = []
    if tree.kind == "terraform":
        for index, block in enumerate(tree.value):
            if isinstance(block, Block) and block.keyword == "resource" and block.type in types:
                found.append(Resource(block.type, block.name, block.body, (index,), (index,), tree))
        return found
    template = tree.value[0] if tree.value else None
    declared = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(declared, dict):
        return found
    for name, resource in declared.items():
        if isinstance(resource, dict) and resource.get("Type") in types:
            properties = resource.get("Properties")
            body = properties if isinstance(properties, dict) else {}
            header: Path = (0, "Resources", name)
            found.append(
                Resource(str(resource["Type"]), name, body, (*header, "Properties"), header, tree)
            )
    return found


def dig(value: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(key, str) and isinstance(value, list) and value:
            value = value[0]
        if isinstance(key, str) and isinstance(value, Mapping):
            value = value.get(key)
        elif isinstance(key, int) and isinstance(value, list) and -len(value) <= key < len(value):
            value = value[key]
        else:
            return None
    return value


def items(value: Any) -> list[Any]:
    """A list attribute or repeated block as a list (a single mapping becomes one item)."""
    if isinstance(value, list):
        return value
    return [] if value is None or isinstance(value, Unknown) else [value]


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, (str, int)) and str(value).lower() in _TRUE)


def is_false(value: Any) -> bool:
    return value is False or (isinstance(value, (str, int)) and str(value).lower() in _FALSE)


_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def block_text(tree: Tree, resource: Resource, raw_text: str) -> str:
    """The raw text of a Terraform block (empty for CloudFormation)."""
    if tree.kind != "terraform" or not isinstance(resource.path[0], int):
        return ""
    start, end = tree.extents.get(resource.path[0], (0, 0))
    return raw_text[start:end]
