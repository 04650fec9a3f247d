"""Readers for line-based config files: sshd_config, redis.conf, postgresql.conf, pg_hba.conf,
and ini-style files (MySQL my.cnf, Asterisk pjsip.conf and manager.conf).

Each reader records settings through a `Collector`, following the conventions of
`callguard.checks.evaluator`: dotted section paths, `section.name` keys, and one header
Setting per block. A setting's raw place is its line without indentation, comment or line end,
so a finding points at exactly the directive a reader must change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from callguard.document import RawString, Setting
from callguard.errors import InputError

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_PG_SETTING = re.compile(r"([A-Za-z_][\w.]{0,100})\s*(?:=\s*|\s+)(.*)")
_INI_SECTION = re.compile(r"\[([^\]\r\n]{1,200})\]\s*(?:\(([^)\r\n]{0,200})\))?\s*")
_INI_SETTING = re.compile(r"([^=\s][^=]{0,200}?)\s*(?:=>?)\s*(.*)")
_SSHD_SPLIT = re.compile(r"\s*=\s*|\s+")
_HBA_FIELDS = ("type", "database", "user", "address", "method", "options")


class Collector:
    """Accumulates the settings of one file and makes errors that name path and line."""

    def __init__(self, path: str, raw_text: str) -> None:
        self.path = path
        self.raw = raw_text
        self.settings: list[Setting] = []
        # Where a directive or section tag starts, with its name (`callguard.formats.config`).
        self.names: list[int] = []

    def setting(self, section: str, name: str, value: str, start: int, end: int) -> None:
        key = f"{section}.{name}" if section else name
        self.settings.append(Setting(key, value, RawString(start, end), section))
        self.names.append(start)

    def header(self, section: str, value: str, start: int, end: int) -> None:
        self.settings.append(Setting(section, value, RawString(start, end), section))
        self.names.append(start)

    def tag(self, start: int) -> None:
        """A section tag that is no setting (`<IfModule ...>`, `</VirtualHost>`) starts here."""
        self.names.append(start)

    def error(self, offset: int, what: str) -> InputError:
        return self.error_at_line(self.raw.count("\n", 0, offset) + 1, what)

    def error_at_line(self, line: int, what: str) -> InputError:
        return InputError(f"{self.path}: line {line}: {what}")


def iter_lines(raw: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each line, without its line end."""
    for match in _LINE.finditer(raw):
        if match.start() == match.end():
            break
        yield match.start(), match.group().rstrip("\r\n")


def content(line: str, comment: str | None) -> tuple[int, str]:
    """(indent, text) of a line with its comment (outside quotes) and edge spaces removed."""
    text = line
    if comment is not None:
        quote = ""
        for index, char in enumerate(line):
            if char in "\"'" and (not quote or quote == char):
                quote = "" if quote else char
            elif char in comment and not quote:
                text = line[:index]
                break
    stripped = text.strip()
    return (len(text) - len(text.lstrip()), stripped) if stripped else (0, "")


def split_word(text: str) -> tuple[str, str]:
    """(first word, rest) of a directive line, splitting on any whitespace."""
    parts = text.split(None, 1)
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def read_sshd(out: Collector) -> None:
    """`Keyword value` lines; `Match` opens a block that lasts until the next `Match`."""
    section, matches = "", 0
    for offset, line in iter_lines(out.raw):
        indent, text = content(line, None)
        if not text or text.startswith("#"):
            continue
        start, end = offset + indent, offset + indent + len(text)
        parts = _SSHD_SPLIT.split(text, maxsplit=1)
        name, value = parts[0], parts[1] if len(parts) > 1 else ""
        if name.lower() == "match":
            section = f"match[{matches}]"
            matches += 1
            out.header(section, value, start, end)
            continue
        out.setting(section, name, value, start, end)


def read_redis(out: Collector) -> None:
    """`keyword args...` lines; `#` starts a comment only at the start of a line."""
    for offset, line in iter_lines(out.raw):
        indent, text = content(line, None)
        if not text or text.startswith("#"):
            continue
        name, value = split_word(text)
        out.setting("", name, value.strip(), offset + indent, offset + indent + len(text))


def read_postgresql(out: Collector) -> None:
    """`name = value` (or `name value`) lines; `#` starts a comment outside quotes."""
    for offset, line in iter_lines(out.raw):
        indent, text = content(line, "#")
        if not text:
            continue
        match = _PG_SETTING.fullmatch(text)
        if match is None:
            raise out.error(offset, "not a `name = value` setting")
        start = offset + indent
        out.setting("", match.group(1), match.group(2).strip(), start, start + len(text))


def read_pg_hba(out: Collector) -> None:
    """One record per line, each a section `record[i]` with its fields as settings."""
    index = 0
    for offset, line in iter_lines(out.raw):
        indent, text = content(line, "#")
        if not text or text.startswith("include"):
            continue
        fields = text.split()
        kind = fields[0].lower()
        if kind not in ("local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc"):
            raise out.error(offset, "unknown pg_hba record type")
        if kind != "local":
            fields = fields[:3] + _hba_address(fields[3:], out, offset)
        else:
            fields = [*fields[:3], "", *fields[3:]]
        if len(fields) < 5:
            raise out.error(offset, "pg_hba record needs a method")
        section = f"record[{index}]"
        index += 1
        start, end = offset + indent, offset + indent + len(text)
        out.header(section, text, start, end)
        values = [*fields[:5], " ".join(fields[5:])]
        for name, value in zip(_HBA_FIELDS, values, strict=True):
            out.setting(section, name, value, start, end)


def _hba_address(rest: list[str], out: Collector, offset: int) -> list[str]:
    """Join an `address mask` pair into one CIDR-like field (`192.168.1.0/255.255.255.0`)."""
    if not rest:
        raise out.error(offset, "pg_hba host record needs an address")
    if len(rest) >= 3 and re.fullmatch(r"[\d.]{7,15}", rest[1]) and "/" not in rest[0]:
        return [f"{rest[0]}/{rest[1]}", *rest[2:]]
    return rest


def read_ini(out: Collector, comments: str) -> None:
    """`[section]` headers (Asterisk: `[name](template)`), `key = value`, `key => value`,
    and bare keys (MySQL `skip-grant-tables`). Repeated section names get `~2`, `~3`."""
    section = ""
    seen: dict[str, int] = {}
    for offset, line in iter_lines(out.raw):
        indent, text = content(line, comments)
        if not text or text.startswith(("!include", "#include", "!includedir", "#exec")):
            continue
        start, end = offset + indent, offset + indent + len(text)
        header = _INI_SECTION.fullmatch(text)
        if header is not None:
            name = header.group(1).strip().replace(".", "_")
            seen[name] = seen.get(name, 0) + 1
            section = name if seen[name] == 1 else f"{name}~{seen[name]}"
            out.header(section, header.group(2) or "", start, end)
            continue
        match = _INI_SETTING.fullmatch(text)
        if match is None:
            if not re.fullmatch(r"[\w.-]{1,100}", text):
                raise out.error(offset, "not a `key = value` line or `[section]` header")
            out.setting(section, text, "", start, end)
            continue
        value = match.group(2).strip()
        out.setting(section, match.group(1).strip(), value, start, end)
