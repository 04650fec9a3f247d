"""Readers for tree-shaped configs: mongod.conf (YAML) and FreeSWITCH XML.

PyYAML and expat (the parser under `xml.etree`) are imported when a file of that kind is read.
YAML mappings become dotted sections (`net.tls.mode` is setting `mode` of section `net.tls`).
In FreeSWITCH XML each `<param name= value=>` is a setting; `<profile>` and `<gateway>`
elements are sections, so a gateway's credentials never count as its profile's settings.
"""

from __future__ import annotations

from typing import Any

from callguard.formats.config_lines import Collector


def read_yaml(out: Collector) -> None:
    """Settings from a YAML mapping, with the character span of each key and value."""
    import yaml

    try:
        root = yaml.compose(out.raw, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        offset = mark.index if mark is not None else 0
        raise out.error(offset, f"invalid YAML ({exc.__class__.__name__})") from None
    if isinstance(root, yaml.MappingNode):
        _walk_yaml(out, root, "")


def _walk_yaml(out: Collector, node: Any, section: str) -> None:
    import yaml

    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        name = str(key_node.value)
        start = key_node.start_mark.index
        if isinstance(value_node, yaml.MappingNode):
            child = f"{section}.{name}" if section else name
            out.header(child, "", start, key_node.end_mark.index)
            _walk_yaml(out, value_node, child)
        elif isinstance(value_node, yaml.SequenceNode):
            items = [
                str(item.value) for item in value_node.value if isinstance(item, yaml.ScalarNode)
            ]
            out.setting(section, name, ",".join(items), start, value_node.end_mark.index)
        elif isinstance(value_node, yaml.ScalarNode):
            end = max(value_node.end_mark.index, key_node.end_mark.index)
            out.setting(section, name, str(value_node.value), start, end)


def read_freeswitch_xml(out: Collector) -> None:
    """`<param>` settings by `<profile>`/`<gateway>` section; DTDs are refused (entity bombs)."""
    from xml.parsers import expat

    data = out.raw.encode("utf-8", "surrogateescape")
    parser = expat.ParserCreate()
    sections: list[str | None] = []
    counts: dict[str, int] = {}

    def char_offset() -> int:
        index = parser.CurrentByteIndex
        return index if out.raw.isascii() else len(data[:index].decode("utf-8", "replace"))

    def start(tag: str, attributes: dict[str, str]) -> None:
        offset = char_offset()
        end = out.raw.find(">", offset) + 1 or len(out.raw)
        parent = next((s for s in reversed(sections) if s is not None), "")
        lowered = tag.lower()
        if lowered in ("profile", "gateway"):
            key = f"{parent}.{lowered}" if parent else lowered
            counts[key] = counts.get(key, -1) + 1
            section = f"{key}[{counts[key]}]"
            out.header(section, attributes.get("name", ""), offset, end)
            sections.append(section)
            return
        sections.append(None)
        if lowered == "param" and "name" in attributes:
            out.setting(parent, attributes["name"], attributes.get("value", ""), offset, end)

    def refuse(*_: Any) -> None:
        raise out.error(char_offset(), "DOCTYPE and entity declarations are not accepted")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda _tag: sections.pop()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        line = getattr(exc, "lineno", 1)
        raise out.error_at_line(
            line, f"invalid XML ({expat.errors.messages.get(exc.code, 'error')})"
        ) from None
