"""Parsers for infrastructure-as-code files that keep every setting's raw place.

Config checks point at the line that is wrong (or at the block that lacks a setting), so a
parsed value is useless without its position. YAML is composed into nodes (which carry marks)
and converted by hand; Terraform goes through python-hcl2, which loses positions, so each
resource block and attribute line is found again in the raw text. Both give a `Tree`: plain
values plus the raw span of each key path.

Values a scanner cannot know statically (a Terraform expression, a CloudFormation intrinsic
such as `!Ref` or `Fn::If`) become `Unknown`: checks treat them as "set, value unknown" and
report nothing rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

Path = tuple[str | int, ...]
Span = tuple[int, int]


@dataclass(frozen=True)
class Unknown:
    """A value only known at deploy time: an expression, variable or intrinsic function."""

    text: str = ""


@dataclass
class Tree:
    """A parsed config file: `value` plus the raw span of every key path it could place.

    YAML trees hold a list of documents (paths start with the document index); Terraform
    trees hold a list of resource/data blocks (paths start with the block index).
    """

    kind: str
    value: Any = None
    spans: dict[Path, Span] = field(default_factory=dict, repr=False)
    # Terraform only: block index -> raw span of the whole block, header to closing brace.
    extents: dict[int, Span] = field(default_factory=dict, repr=False)
    error: str | None = None
    file_mode: int | None = None

    def span(self, path: Path) -> Span:
        """The raw span of `path`, or of its deepest known ancestor (a missing setting)."""
        for end in range(len(path), 0, -1):
            found = self.spans.get(path[:end])
            if found is not None:
                return found
        return (0, 0)


# -- YAML ------------------------------------------------------------------------------------


def parse_yaml(kind: str, raw_text: str) -> Tree:
    """Compose every YAML document of `raw_text`; unknown tags (`!Ref`, `!Sub`) become Unknown."""
    import yaml

    tree = Tree(kind, [])
    try:
        nodes = list(yaml.compose_all(raw_text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        tree.error = f"invalid YAML{where}"
        return tree
    converter = _YamlConverter(tree, raw_text)
    tree.value = [converter.convert(node, (index,)) for index, node in enumerate(nodes)]
    for index, node in enumerate(nodes):
        if node is not None:
            tree.spans[(index,)] = (node.start_mark.index, node.start_mark.index)
    return tree


class _YamlConverter:
    """Turns composed nodes into plain values, recording each key's raw span on the way."""

    def __init__(self, tree: Tree, raw_text: str) -> None:
        import yaml

        self._tree = tree
        self._raw = raw_text
        self._constructor = yaml.constructor.SafeConstructor()

    def convert(self, node: yaml.Node | None, path: Path) -> Any:
        import yaml

        if node is None:
            return None
        if not node.tag.startswith("tag:yaml.org,2002:"):
            return Unknown(f"{node.tag} {_scalar_text(node)}".strip())
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                item_path: Path = (*path, index)
                self._tree.spans[item_path] = self._line_span(item.start_mark.index, item)
                items.append(self.convert(item, item_path))
            return items
        try:
            return self._constructor.construct_object(node)
        except yaml.YAMLError:
            return str(node.value)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> Any:
        result: dict[str, Any] = {}
        merged: list[Any] = []
        for key_node, value_node in node.value:
            key = str(getattr(key_node, "value", ""))
            if key == "<<":
                merged.append(self.convert(value_node, path))
                continue
            key_path: Path = (*path, key)
            self._tree.spans[key_path] = self._line_span(key_node.start_mark.index, value_node)
            result[key] = self.convert(value_node, key_path)
        for extra in merged:
            for item in extra if isinstance(extra, list) else [extra]:
                if isinstance(item, dict):
                    result = {**item, **result}
        if len(result) == 1 and next(iter(result)).startswith(("Fn::", "Ref")):
            name, argument = next(iter(result.items()))
            return Unknown(f"{name} {argument if isinstance(argument, str) else ''}".strip())
        return result

    def _line_span(self, start: int, value_node: yaml.Node) -> Span:
        """From `start` to the end of the value if it is a one-line scalar, else to line end."""
        import yaml

        line_end = _line_end(self._raw, start)
        if isinstance(value_node, yaml.ScalarNode) and value_node.end_mark.index <= line_end:
            return start, max(value_node.end_mark.index, start)
        return start, line_end


def _scalar_text(node: yaml.Node) -> str:
    value = node.value
    return value if isinstance(value, str) else ""


def _line_end(text: str, start: int) -> int:
    ends = [i for i in (text.find("\n", start), text.find("\r", start)) if i >= 0]
    end = min(ends) if ends else len(text)
    while end > start and text[end - 1] in " \t":
        end -= 1
    return end


# -- Terraform -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One top-level Terraform block: `resource "TYPE" "NAME" {…}` or `data "TYPE" "NAME"`."""

    keyword: str
    type: str
    name: str
    body: dict[str, Any]


def parse_terraform(raw_text: str) -> Tree:
    """Parse HCL2 with python-hcl2 and place each resource and attribute in the raw text."""
    import hcl2

    tree = Tree("terraform", [])
    try:
        parsed = hcl2.loads(raw_text)
    except Exception as exc:  # lark raises several unrelated error types
        tree.error = f"invalid HCL ({exc.__class__.__name__})"
        return tree
    seen: dict[tuple[str, str, str], int] = {}
    for keyword in ("resource", "data"):
        for entry in parsed.get(keyword, []):
            for type_name, named in entry.items():
                for name, body in named.items():
                    block = Block(keyword, _unquote(type_name), _unquote(name), _body(body))
                    key = (keyword, block.type, block.name)
                    occurrence = seen.get(key, 0)
                    seen[key] = occurrence + 1
                    index = len(tree.value)
                    tree.value.append(block)
                    _place_block(tree, raw_text, block, index, occurrence)
    return tree


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _body(value: Any) -> Any:
    """Normalise python-hcl2 output: strings unquoted, expressions Unknown, dynamic blocks kept."""
    if isinstance(value, dict):
        body: dict[str, Any] = {}
        for key, item in value.items():
            if key == "__is_block__":
                continue
            if key == "dynamic" and isinstance(item, list):
                for dynamic in item:
                    for name, spec in dynamic.items():
                        content = spec.get("content", []) if isinstance(spec, dict) else []
                        body.setdefault(_unquote(name), []).extend(_body(content))
                continue
            body[key] = _body(item)
        return body
    if isinstance(value, list):
        return [_body(item) for item in value]
    if isinstance(value, str):
        return _scalar(value)
    return value


def _scalar(text: str) -> Any:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        inner = text[1:-1]
        return Unknown(inner) if "${" in inner else inner
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text.startswith("${") and text.endswith("}"):
        return Unknown(text[2:-1])
    return Unknown(text)


def _place_block(tree: Tree, raw: str, block: Block, index: int, occurrence: int) -> None:
    header = re.compile(
        rf'^[ \t]*{block.keyword}[ \t]+"{re.escape(block.type)}"[ \t]+"{re.escape(block.name)}"'
        r"[ \t]*\{",
        re.MULTILINE,
    )
    matches = list(header.finditer(raw))
    if occurrence >= len(matches):
        return
    found = matches[occurrence]
    start = found.start() + len(found.group(0)) - len(found.group(0).lstrip())
    end = _block_end(raw, found.end() - 1)
    tree.spans[(index,)] = (start, found.end() - 1)
    tree.extents[index] = (start, end)
    for path in _attribute_paths(block.body):
        span = _find_attribute(raw, start, end, path)
        if span is not None:
            block_path: Path = (index, *path)
            tree.spans[block_path] = span


def _attribute_paths(body: Any, prefix: Path = ()) -> Iterator[Path]:
    if isinstance(body, dict):
        for key, value in body.items():
            yield (*prefix, key)
            yield from _attribute_paths(value, (*prefix, key))
    elif isinstance(body, list):
        for number, item in enumerate(body):
            if isinstance(item, dict):
                yield (*prefix, number)
                yield from _attribute_paths(item, (*prefix, number))


def _find_attribute(raw: str, start: int, end: int, path: Path) -> Span | None:
    """Find `path` inside a block: each key after the previous one; an index skips siblings."""
    position = start
    previous: str | None = None
    line_start = start
    for part in path:
        if isinstance(part, int):
            if previous is None:
                return None
            for _ in range(part):
                found = _key_line(previous).search(raw, position + 1, end)
                if found is None:
                    return None
                position = found.start(1)
            line_start = position
            continue
        found = _key_line(part).search(raw, position, end)
        if found is None:
            return None
        position = line_start = found.start(1)
        previous = part
    return line_start, _line_end(raw, line_start)


_KEY_LINES: dict[str, re.Pattern[str]] = {}


def _key_line(key: str) -> re.Pattern[str]:
    pattern = _KEY_LINES.get(key)
    if pattern is None:
        pattern = re.compile(
            rf'^[ \t]*((?:dynamic[ \t]+")?"?{re.escape(key)}"?)[ \t]*[={{]', re.MULTILINE
        )
        _KEY_LINES[key] = pattern
    return pattern


def _block_end(raw: str, brace: int) -> int:
    """Offset just past the `}` closing the `{` at `brace`; skips strings and comments."""
    depth = 0
    index = brace
    length = len(raw)
    while index < length:
        char = raw[index]
        if char == '"':
            index += 1
            while index < length and raw[index] != '"':
                index += 2 if raw[index] == "\\" else 1
        elif char == "#" or raw.startswith("//", index):
            newline = raw.find("\n", index)
            index = length if newline < 0 else newline
        elif raw.startswith("/*", index):
            close = raw.find("*/", index + 2)
            index = length if close < 0 else close + 1
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return length
