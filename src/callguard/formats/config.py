"""Server config files: detect the kind by file name and a cheap look at the content, then parse.

Kinds (the Document's `format`): nginx, apache, haproxy, postgresql, pg_hba, mysql, redis,
mongod, sshd, pjsip, asterisk_manager, freeswitch_event_socket, freeswitch_sip_profile.
The Document keeps the whole file as its analysis text (so card-number and PHI rules still run
on it), with one change: the name of each directive and section tag (`Banner`, `<IfModule`,
`ssl_protocols`, YAML's `bindIp`) reads as spaces. Those are the software's vocabulary, not data,
yet a name finder takes `IfModule` for a person, and redacting it would break the file. Offsets
are unchanged, so every finding still points at the raw file. The Document also exposes parsed
settings for the config checks (`callguard.checks.servers`). A file that cannot be parsed raises
InputError naming the path and line, never quoting the content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING

from callguard.document import Document, DocumentBuilder, RawString
from callguard.formats import config_blocks, config_lines, config_tree
from callguard.formats.config_lines import Collector

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

_SNIFF_CHARS = 16384
# Extensions a config may have; content sniffing is never tried on transcripts, logs, JSON...
# fmt: off
_CONFIG_SUFFIXES = frozenset((
    "", ".conf", ".cnf", ".cfg", ".config", ".ini", ".xml", ".yaml", ".yml", ".local",
    ".example", ".sample", ".default", ".dist", ".orig", ".bak", ".tmpl", ".j2",
))
# fmt: on
_BY_NAME = {
    "nginx.conf": "nginx",
    "httpd.conf": "apache",
    "apache2.conf": "apache",
    "haproxy.cfg": "haproxy",
    "postgresql.conf": "postgresql",
    "postgresql.auto.conf": "postgresql",
    "pg_hba.conf": "pg_hba",
    "my.cnf": "mysql",
    "mysqld.cnf": "mysql",
    "redis.conf": "redis",
    "mongod.conf": "mongod",
    "mongos.conf": "mongod",
    "sshd_config": "sshd",
    "pjsip.conf": "pjsip",
    "manager.conf": "asterisk_manager",
    "event_socket.conf.xml": "freeswitch_event_socket",
}
_M = re.MULTILINE
# (kind, content test), tried in order; each looks only at the first 16 KiB.
_SNIFFERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("freeswitch_event_socket", re.compile(r"<configuration\s+name=\"event_socket\.conf\"")),
    ("freeswitch_sip_profile", re.compile(r"<profile\s+name=[^>]{0,200}>\s*(?:<!--|<)")),
    (
        "pg_hba",
        re.compile(
            r"^[ \t]*(?:hostssl|hostnossl|host|local)[ \t]+\S+[ \t]+\S+[ \t]+"
            r"(?:\S+[ \t]+)?(?:trust|md5|password|scram-sha-256|peer|ident|cert"
            r"|reject|ldap|radius|pam|gss|sspi)\b",
            _M,
        ),
    ),
    (
        "sshd",
        re.compile(
            r"^[ \t]*(?:PermitRootLogin|PasswordAuthentication|PermitEmptyPasswords"
            r"|KbdInteractiveAuthentication|ChallengeResponseAuthentication"
            r"|ClientAliveInterval|AuthorizedKeysFile|UsePAM|Ciphers|MACs|KexAlgorithms)[ \t=]",
            _M | re.I,
        ),
    ),
    (
        "nginx",
        re.compile(
            r"^[ \t]*(?:http|server|location|upstream|events)(?:[ \t]+[^;{\n]{1,200})?[ \t]*\{", _M
        ),
    ),
    (
        "apache",
        re.compile(
            r"^[ \t]*(?:<(?:VirtualHost|Directory|Location|Files|IfModule)\b"
            r"|(?:ServerRoot|DocumentRoot|LoadModule|SSLEngine|ServerName)[ \t])",
            _M | re.I,
        ),
    ),
    (
        "haproxy",
        re.compile(
            r"^(?:frontend|backend|listen|defaults)\b.{0,200}\n(?:[ \t]+.*\n)"
            r"{0,50}?[ \t]+(?:bind|mode|server|default_backend)\b",
            _M,
        ),
    ),
    ("mongod", re.compile(r"^(?:net|security|storage|systemLog|replication):[ \t]*$", _M)),
    (
        "mysql",
        re.compile(
            r"^\[(?:mysqld|mysqld_safe|mariadb|mariadbd|server|client-server)"
            r"(?:-[\d.]{1,10})?\]",
            _M,
        ),
    ),
    (
        "pjsip",
        re.compile(r"^[ \t]*type[ \t]*=[ \t]*(?:transport|endpoint|aor|auth|identify)\b", _M),
    ),
    (
        "asterisk_manager",
        re.compile(
            r"^\[general\][^\[]{0,2000}^[ \t]*(?:bindaddr|webenabled"
            r"|displayconnects|port[ \t]*=[ \t]*5038)",
            _M | re.S,
        ),
    ),
    (
        "redis",
        re.compile(
            r"^(?:requirepass|protected-mode|tls-port|appendonly|maxmemory-policy"
            r"|aclfile|save|daemonize)[ \t]",
            _M,
        ),
    ),
    (
        "postgresql",
        re.compile(
            r"^[ \t]*(?:listen_addresses|shared_buffers|ssl_min_protocol_version"
            r"|password_encryption|log_connections|hba_file)[ \t]*=",
            _M,
        ),
    ),
)
_READERS: dict[str, Callable[[Collector], None]] = {
    "nginx": config_blocks.read_nginx,
    "apache": config_blocks.read_apache,
    "haproxy": config_blocks.read_haproxy,
    "postgresql": config_lines.read_postgresql,
    "pg_hba": config_lines.read_pg_hba,
    "mysql": lambda out: config_lines.read_ini(out, "#;"),
    "redis": config_lines.read_redis,
    "mongod": config_tree.read_yaml,
    "sshd": config_lines.read_sshd,
    "pjsip": lambda out: config_lines.read_ini(out, ";"),
    "asterisk_manager": lambda out: config_lines.read_ini(out, ";"),
    "freeswitch_event_socket": config_tree.read_freeswitch_xml,
    "freeswitch_sip_profile": config_tree.read_freeswitch_xml,
}
KINDS = tuple(_READERS)


def detect(path: str, raw_text: str) -> str | None:
    """The config kind of this file, or None if it is not one this module reads."""
    pure = PurePath(path.lower().removesuffix(".gz"))
    kind = _kind_by_name(pure)
    if kind is not None:
        return kind
    if pure.suffix not in _CONFIG_SUFFIXES and path not in ("-", "<stdin>"):
        return None
    head = raw_text[:_SNIFF_CHARS]
    return next((kind for kind, test in _SNIFFERS if test.search(head)), None)


def read(path: str, raw_text: str, kind: str, options: FormatOptions) -> Document:
    """The Document of a config file: its text for text rules, its settings for config rules."""
    collector = Collector(path, raw_text)
    _READERS[kind](collector)
    builder = DocumentBuilder(path, kind, raw_text)
    builder.add(_without_names(raw_text, collector), RawString(0, len(raw_text)))
    for setting in collector.settings:
        builder.add_setting(setting)
    return builder.build()


def _without_names(raw_text: str, collector: Collector) -> str:
    """The raw text with the name of each directive and section tag the reader met (where a
    setting's raw place starts, or a tag) turned into spaces. A name starts with a letter or
    underscore: a section named by its admin (`[6001]`, a SIP extension) stays readable, as do
    values and comments."""
    text = list(raw_text)
    for start in collector.names:
        name = _DIRECTIVE_NAME.match(raw_text, start)
        if name is not None:
            text[name.start() : name.end()] = " " * (name.end() - name.start())
    return "".join(text)


# The name a directive line or tag starts with: `ServerName`, `<IfModule`, `</Location`.
_DIRECTIVE_NAME = re.compile(r"</?[A-Za-z_][\w.-]{0,100}|[A-Za-z_][\w.-]{0,100}")


def _kind_by_name(pure: PurePath) -> str | None:
    name = pure.name
    if name in _BY_NAME:
        return _BY_NAME[name]
    parent = pure.parent.name
    if parent == "sshd_config.d" and name.endswith(".conf"):
        return "sshd"
    if name.startswith("pjsip") and name.endswith(".conf"):
        return "pjsip"
    if parent == "sip_profiles" and name.endswith(".xml"):
        return "freeswitch_sip_profile"
    if "haproxy" in name and name.endswith(".cfg"):
        return "haproxy"
    if name.startswith("redis") and name.endswith(".conf"):
        return "redis"
    return None
