"""Infrastructure-as-code, app configs and PEM files: detection and reading.

Kinds, recognised by file name plus a cheap look at the content (never by content alone for
formats that look like plain text):

* `terraform` (`*.tf`), `cloudformation` (YAML/JSON with `AWSTemplateFormatVersion` or an
  `AWS::` resource type), `kubernetes` (YAML with `apiVersion` and `kind`, multi-document),
  `compose` (docker-compose/compose files, or YAML with a top-level `services:`);
* `dotenv` (`.env`, `.env.*`, `*.env`), `spring` (`*.properties`, `application*.yml`);
* `pem` (any file holding a `-----BEGIN CERTIFICATE-----` or `… PRIVATE KEY-----` block).

The raw text stays the analysis text, so card and PHI rules still run on configs. The parsed
`Tree` goes in `Document.parsed` for the checks in `callguard.checks`; flat key=value kinds
also fill `Document.settings`. A file that does not parse still yields its Document (with
`Tree.error` set), so a PAN pasted into a broken template is found all the same.

For PEM files read from a local path the reader records the file's permission bits
(`Tree.file_mode`, from `os.stat`) so a check can flag a private key readable by everyone;
URLs, stdin and bytes whose path does not exist locally carry no mode.
"""

from __future__ import annotations

import os
import re
import stat
from typing import TYPE_CHECKING

from callguard.document import Document, DocumentBuilder, RawString, Setting
from callguard.formats.iac_parse import Tree, parse_terraform, parse_yaml

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

KINDS = ("terraform", "cloudformation", "kubernetes", "compose", "dotenv", "spring", "pem")

_HEAD_CHARS = 8192
_YAML_EXT = (".yaml", ".yml")
_PEM = re.compile(r"-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}(?:CERTIFICATE|PRIVATE KEY)-----")
_CFN_TYPE = re.compile(r"""["']?Type["']?\s{0,8}:\s{0,8}["']?AWS::[A-Za-z0-9]{1,64}::""")
_K8S_API = re.compile(r"^apiVersion:[ \t]*\S", re.MULTILINE)
_K8S_KIND = re.compile(r"^kind:[ \t]*[A-Z]", re.MULTILINE)
_SERVICES = re.compile(r"^services:[ \t]*(?:#.{0,200})?$", re.MULTILINE)
_COMPOSE_NAME = re.compile(r"^(?:docker-)?compose(?:[.-][\w.-]{0,60})?\.ya?ml$")
_SPRING_NAME = re.compile(r"^(?:application|bootstrap)(?:-[\w.-]{1,60})?\.ya?ml$")
_DOTENV_NAME = re.compile(r"^(?:\.env(?:\.[\w.-]{1,60})?|[\w.-]{1,60}\.env)$")
# KEY=VALUE (dotenv, optionally `export`) or Java properties `key=value` / `key: value`.
_DOTENV_LINE = re.compile(
    r"^[ \t]*(?:export[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]{0,200})"
    r"[ \t]*=[ \t]*(?P<value>.*?)[ \t]*$"
)
_PROPERTIES_LINE = re.compile(
    r"^[ \t]*(?P<key>[^#!\s=:][^\s=:]{0,300})[ \t]*[=:][ \t]*(?P<value>.*?)[ \t]*$"
)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_PEM_EXT = (".pem", ".crt", ".cer", ".cert", ".key", ".ca-bundle", ".chain")


def detect(path: str, raw_text: str) -> str | None:
    """The kind of config this file is, or None if this module does not read it."""
    name = os.path.basename(path.replace("\\", "/")).lower().removesuffix(".gz")
    head = raw_text[:_HEAD_CHARS]
    if name.endswith(".tf"):
        return "terraform"
    if _DOTENV_NAME.match(name):
        return "dotenv"
    if name.endswith(".properties"):
        return "spring"
    is_yaml = name.endswith(_YAML_EXT)
    is_template = is_yaml or name.endswith((".json", ".template"))
    if is_template and ("AWSTemplateFormatVersion" in head or _CFN_TYPE.search(head)):
        return "cloudformation"
    if is_yaml and _K8S_API.search(head) and _K8S_KIND.search(head):
        return "kubernetes"
    if is_yaml and (_COMPOSE_NAME.match(name) or _SERVICES.search(head)):
        return "compose"
    if is_yaml and _SPRING_NAME.match(name):
        return "spring"
    if _PEM.search(head) and (name.endswith(_PEM_EXT) or _starts_with_pem(head)):
        return "pem"
    return None


def _starts_with_pem(head: str) -> bool:
    """A PEM file may open with comments or `Bag Attributes`; a transcript quoting one may not."""
    for line in head.splitlines():
        text = line.strip()
        if text.startswith("-----BEGIN "):
            return True
        if line[:1] in (" ", "\t") or not text:
            continue
        if not text.startswith(("#", "Bag Attributes", "subject=", "issuer=")):
            return False
    return False


def read(path: str, raw_text: str, kind: str, options: FormatOptions) -> Document:
    """Read a config of `kind`: the raw text as analysis text, plus its parsed tree."""
    builder = DocumentBuilder(path, kind, raw_text)
    builder.add(raw_text, RawString(0, len(raw_text)))
    tree = _parse(path, raw_text, kind, builder)
    document = builder.build()
    document.parsed = tree
    return document


def parsed_tree(document: Document) -> Tree | None:
    """The parsed tree a config Document carries, or None for any other Document."""
    tree = document.parsed
    return tree if isinstance(tree, Tree) else None


def _parse(path: str, raw_text: str, kind: str, builder: DocumentBuilder) -> Tree:
    if kind == "terraform":
        return parse_terraform(raw_text)
    if kind == "dotenv":
        return _flat(kind, raw_text, _DOTENV_LINE, builder)
    if kind == "spring" and not path.lower().removesuffix(".gz").endswith(_YAML_EXT):
        return _flat(kind, raw_text, _PROPERTIES_LINE, builder)
    if kind == "pem":
        return Tree("pem", raw_text, file_mode=_local_mode(path))
    tree = parse_yaml(kind, raw_text)
    if kind == "spring":
        _spring_settings(tree, builder)
    return tree


def _flat(kind: str, raw_text: str, pattern: re.Pattern[str], builder: DocumentBuilder) -> Tree:
    """Line-based key=value files: one Setting per line; comments and blanks skipped."""
    tree = Tree(kind, {})
    for line in _LINE.finditer(raw_text):
        text = line.group(0).rstrip("\r\n")
        if not text.strip() or text.lstrip().startswith(("#", "!")):
            continue
        found = pattern.match(text)
        if found is None:
            continue
        key = found.group("key")
        value = _strip_quotes(found.group("value"), kind)
        start = line.start() + found.start("key")
        end = line.start() + max(found.end("value"), found.end("key"))
        builder.add_setting(Setting(key, value, RawString(start, end)))
        tree.value[key] = value
        tree.spans[(key,)] = (start, end)
    return tree


def _strip_quotes(value: str, kind: str) -> str:
    if kind == "dotenv" and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if kind == "dotenv" and " #" in value:
        return value.split(" #", 1)[0].rstrip()
    return value


def _spring_settings(tree: Tree, builder: DocumentBuilder) -> None:
    """Flatten `application.yml` into dotted keys, as Spring itself does."""
    for index, document in enumerate(tree.value or []):
        for key, value, path in _flatten(document, (index,)):
            start, end = tree.span(path)
            builder.add_setting(Setting(key, value, RawString(start, end)))


def _flatten(
    value: object, path: tuple[str | int, ...], prefix: str = ""
) -> list[tuple[str, str, tuple[str | int, ...]]]:
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            dotted = f"{prefix}.{key}" if prefix else str(key)
            found.extend(_flatten(item, (*path, key), dotted))
        return found
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return [(prefix, ",".join("" if v is None else str(v) for v in value), path)]
    if isinstance(value, list):
        return [
            found
            for index, item in enumerate(value)
            for found in _flatten(item, (*path, index), f"{prefix}[{index}]")
        ]
    text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    return [(prefix, text, path)]


def _local_mode(path: str) -> int | None:
    """Permission bits of a local file (None for URLs, stdin, a missing file, or Windows)."""
    if os.name == "nt" or path in ("", "-") or "://" in path:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None
