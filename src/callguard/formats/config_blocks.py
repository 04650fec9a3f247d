"""Readers for block-structured server configs: nginx, Apache httpd and HAProxy.

Sections follow `callguard.checks.evaluator`: nginx `http.server[0].location[1]`, Apache
`virtualhost[0].location[0]` (the `<IfModule>`-style wrappers are transparent: they decide
whether a block loads, not where it applies), HAProxy `global`, `defaults[0]`, `frontend[1]`.
Includes are not followed: each file is checked as written.
"""

from __future__ import annotations

import re

from callguard.formats.config_lines import Collector, content, iter_lines, split_word

_NGINX_TOKEN = re.compile(
    r"""(?P<space>\s{1,4096})|(?P<comment>\#[^\n]{0,65536})"""
    r"""|(?P<quoted>"(?:[^"\\]|\\.){0,65536}"|'(?:[^'\\]|\\.){0,65536}')"""
    r"""|(?P<punct>[;{}])|(?P<word>(?:[^\s;{}"'\\#]|\\.)(?:[^\s;{}"'\\]|\\.){0,65536})""",
    re.DOTALL,
)
_NGINX_SINGLE = frozenset({"http", "events", "stream", "mail"})
_APACHE_TRANSPARENT = frozenset(
    {"ifmodule", "ifdefine", "ifversion", "iffile", "ifdirective", "ifsection"}
)
_APACHE_OPEN = re.compile(r"<\s{0,8}([A-Za-z]\w{0,40})(?:\s+([^>]{0,2000}?))?\s*>")
_APACHE_CLOSE = re.compile(r"</\s{0,8}([A-Za-z]\w{0,40})\s*>")
# fmt: off
_HAPROXY_SECTIONS = frozenset((
    "global", "defaults", "frontend", "backend", "listen", "userlist", "peers", "resolvers",
    "mailers", "program", "http-errors", "cache", "ring", "crt-store", "traces", "log-forward",
))
# fmt: on


class _Blocks:
    """Section paths with a per-parent counter for repeated block names."""

    def __init__(self, single: frozenset[str] = frozenset()) -> None:
        self._counts: dict[tuple[str, str], int] = {}
        self._single = single

    def child(self, parent: str, name: str) -> str:
        name = name.lower()
        if name in self._single:
            leaf = name
        else:
            index = self._counts.get((parent, name), 0)
            self._counts[(parent, name)] = index + 1
            leaf = f"{name}[{index}]"
        return f"{parent}.{leaf}" if parent else leaf


def read_nginx(out: Collector) -> None:
    """Directives end in `;`, blocks are `name args { ... }`; quotes and `#` comments."""
    blocks = _Blocks(_NGINX_SINGLE)
    stack: list[tuple[str, int]] = []  # (section, offset of its header)
    words: list[tuple[str, int, int]] = []
    position = 0
    raw = out.raw
    while position < len(raw):
        token = _NGINX_TOKEN.match(raw, position)
        if token is None:
            raise out.error(position, "unterminated quoted string")
        position = token.end()
        kind = token.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind in ("word", "quoted"):
            text = token.group()
            words.append((text[1:-1] if kind == "quoted" else text, token.start(), token.end()))
            continue
        section = stack[-1][0] if stack else ""
        punct = token.group()
        if punct == "}":
            if words or not stack:
                raise out.error(token.start(), "unexpected `}`")
            stack.pop()
            continue
        if not words:
            raise out.error(token.start(), f"`{punct}` without a directive")
        name, start = words[0][0], words[0][1]
        value = " ".join(word for word, _, _ in words[1:])
        if punct == "{":
            child = blocks.child(section, name)
            out.header(child, value, start, token.end())
            stack.append((child, start))
        else:
            out.setting(section, name, value, start, token.end())
        words = []
    if words:
        raise out.error(words[0][1], "directive without `;`")
    if stack:
        raise out.error(stack[-1][1], "block without closing `}`")


def read_apache(out: Collector) -> None:
    """`Directive args` lines (with `\\` continuations) inside `<Section args>` blocks."""
    blocks = _Blocks()
    stack: list[tuple[str, str | None, int]] = []  # (tag, section or None, header offset)
    for start, end, text in _apache_logical_lines(out):
        section = next((s for _, s, _ in reversed(stack) if s is not None), "")
        closing = _APACHE_CLOSE.fullmatch(text)
        if closing is not None:
            if not stack or stack[-1][0] != closing.group(1).lower():
                raise out.error(start, "closing tag does not match the open section")
            stack.pop()
            out.tag(start)
            continue
        opening = _APACHE_OPEN.fullmatch(text)
        if opening is not None:
            tag = opening.group(1).lower()
            if tag in _APACHE_TRANSPARENT:
                stack.append((tag, None, start))
                out.tag(start)
                continue
            child = blocks.child(section, tag)
            out.header(child, (opening.group(2) or "").strip(), start, end)
            stack.append((tag, child, start))
            continue
        if text.startswith("<"):
            raise out.error(start, "malformed section tag")
        name, value = split_word(text)
        out.setting(section, name, value.strip(), start, end)
    if stack:
        raise out.error(stack[-1][2], "section without closing tag")


def _apache_logical_lines(out: Collector) -> list[tuple[int, int, str]]:
    """(start, end, text) of each directive, joining `\\`-continued physical lines."""
    lines: list[tuple[int, int, str]] = []
    pending: tuple[int, str] | None = None
    for offset, line in iter_lines(out.raw):
        indent, text = content(line, None)
        if pending is None and (not text or text.startswith("#")):
            continue
        start, end = offset + indent, offset + indent + len(text)
        if pending is not None:
            start, text = pending[0], f"{pending[1]} {text}".strip()
        if text.endswith("\\"):
            pending = (start, text[:-1].rstrip())
            continue
        pending = None
        lines.append((start, end, text))
    if pending is not None:
        lines.append((pending[0], len(out.raw.rstrip()), pending[1]))
    return lines


def read_haproxy(out: Collector) -> None:
    """Section keywords (`frontend web`) start sections; other lines are `keyword args`."""
    blocks = _Blocks(frozenset({"global"}))
    section: str | None = None
    for offset, line in iter_lines(out.raw):
        indent, text = content(line, "#")
        if not text:
            continue
        start, end = offset + indent, offset + indent + len(text)
        name, value = split_word(text)
        if name.lower() in _HAPROXY_SECTIONS:
            section = blocks.child("", name)
            out.header(section, value.strip(), start, end)
            continue
        if section is None:
            raise out.error(offset, "setting outside a section")
        out.setting(section, name, value.strip(), start, end)
