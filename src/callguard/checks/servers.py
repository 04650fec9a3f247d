"""Server config checks: web servers, databases, SSH and telephony (rules/config_servers.yaml).

Most checks are data: `server_setting` assertions evaluated by `callguard.checks.evaluator`,
which may name the value checks below (cipher strings, networks, weak secrets). Two need more
than one setting at a time and are code: a plaintext HTTP listener without a redirect to
https, and a TLS listener without a long enough HSTS header (nginx, Apache, HAProxy).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from callguard.checks import tls
from callguard.checks.evaluator import (
    SettingIndex,
    ValueCheck,
    Violation,
    assertion_factory,
    parse_number,
    violation_match,
)
from callguard.document import Document, Setting
from callguard.model import RuleMeta
from callguard.rule import Match, Rule

_LOCAL_NAMES = frozenset({"localhost", "samehost", "127.0.0.1", "::1", "-::1", "-127.0.0.1"})
_WEAK_SECRETS = frozenset(
    {"password", "secret", "admin", "changeme", "mysecret", "amp111", "1234", "12345", "clucon"}
)
_MIN_SECRET_LENGTH = 12
_HSTS = re.compile(r"strict-transport-security", re.IGNORECASE)
_MAX_AGE = re.compile(r"max-age\s{0,4}=\s{0,4}\"?(\d{1,12})", re.IGNORECASE)
_HTTPS_REDIRECT = re.compile(r"(?:^|\s)(?:30[1278]\s+)?https://|^4\d\d\b|\bscheme\s+https\b")


def non_local_address(value: str) -> str | None:
    """pg_hba address field: anything but loopback (`all`, networks, host names) is remote."""
    text = value.strip().lower()
    if text in _LOCAL_NAMES:
        return None
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return f"{text} is not a loopback address" if text else None
    return None if network.is_loopback else f"{network} reaches beyond the host"


def binds_beyond_localhost(value: str) -> str | None:
    """Redis/mongod bind list with any non-loopback address (`*`, `0.0.0.0`, a LAN address)."""
    for address in value.replace(",", " ").split():
        if non_local_address(address.lstrip("-")) is not None:
            return f"listens on {address}"
    return None


def weak_secret(value: str) -> str | None:
    """A well-known, short or empty password; the reason never contains the value."""
    text = value.strip().strip("\"'")
    if text.lower() in _WEAK_SECRETS:
        return "a well-known default or dictionary password"
    if len(text) < _MIN_SECRET_LENGTH:
        return f"shorter than {_MIN_SECRET_LENGTH} characters"
    return None


VALUE_CHECKS: dict[str, ValueCheck] = {
    "weak_tls_ciphers": tls.weak_cipher_reason,
    "legacy_tls_protocols": tls.legacy_protocol_reason,
    "apache_legacy_protocols": tls.apache_protocol_reason,
    "non_local_address": non_local_address,
    "binds_beyond_localhost": binds_beyond_localhost,
    "weak_secret": weak_secret,
}


# -- web servers: which listeners exist and whether they use TLS -------------------------------


def _web_units(index: SettingIndex) -> Iterator[tuple[str, bool, list[Setting]]]:
    """(section, uses TLS, plaintext listener settings) for each virtual server of the file."""
    kind = index.document.format
    patterns = {
        "nginx": ("server[*]", "http.server[*]"),
        "apache": ("virtualhost[*]",),
        "haproxy": ("frontend[*]", "listen[*]"),
    }.get(kind, ())
    for section in index.sections(patterns):
        if kind == "nginx":
            listens = index.find(section, ["listen"], False)
            tls_on = any(_has_word(s.value, "ssl", "quic") for s in listens) or any(
                s.value.lower() == "on" for s in index.find(section, ["ssl"], True)
            )
            plain = [s for s in listens if not _has_word(s.value, "ssl", "quic")]
            yield section, tls_on, plain if listens else []
        elif kind == "apache":
            engine = index.find(section, ["sslengine"], True)
            tls_on = bool(engine) and engine[-1].value.lower() == "on"
            yield section, tls_on, [] if tls_on else [index.headers[section]]
        else:
            if any(s.value.lower() == "tcp" for s in index.find(section, ["mode"], False)):
                continue
            binds = index.find(section, ["bind"], False)
            tls_on = any(_has_word(s.value, "ssl") for s in binds)
            yield section, tls_on, [s for s in binds if not _has_word(s.value, "ssl")]


def _has_word(value: str, *words: str) -> bool:
    return any(word in value.lower().split() for word in words)


def _redirects(index: SettingIndex, section: str) -> bool:
    """True if the server redirects to https (or refuses) at its top, in `if`, or at `/`."""
    names = ["return", "rewrite", "redirect", "redirectmatch", "redirectpermanent", "rewriterule"]
    names += ["http_request", "http-request"]
    scopes = [section, f"{section}.if[*]", f"{section}.location[*]"]
    for unit in index.sections(scopes):
        header = index.headers.get(unit)
        if unit != section and "location" in unit and header and header.value.strip() != "/":
            continue
        for setting in index.find(unit, names, False):
            value = setting.value.strip().strip("\"'")
            if _HTTPS_REDIRECT.search(value) and not value.lower().startswith("set-header"):
                return True
    return False


def plaintext_listeners(index: SettingIndex) -> Iterator[Violation]:
    """HTTP served without TLS and without a redirect to https."""
    for section, _tls_on, plain in _web_units(index):
        if index.document.format == "nginx" and not index.find(section, ["listen"], False):
            plain = [index.headers[section]] if section in index.headers else []
            described = "server without listen (default *:80)"
        else:
            described = ""
        if not plain or _redirects(index, section):
            continue
        for setting in plain:
            text = described or _describe(setting)
            yield Violation((setting.raw.start, setting.raw.end), text, "no redirect to https")


def missing_hsts(index: SettingIndex) -> Iterator[Violation]:
    """TLS servers without Strict-Transport-Security, or with max-age under one year."""
    for section, tls_on, _plain in _web_units(index):
        if not tls_on:
            continue
        headers = index.find(section, ["add_header", "header", "http-response"], True)
        hsts = [s for s in headers if _HSTS.search(s.value)]
        if not hsts:
            anchor = index.anchor(section)
            yield Violation(anchor, "Strict-Transport-Security not set", tls.GUIDELINE)
            continue
        found = _MAX_AGE.search(hsts[-1].value)
        age = parse_number(found.group(1)) if found else None
        if age is None or age < tls.HSTS_MINIMUM_SECONDS:
            span = (hsts[-1].raw.start, hsts[-1].raw.end)
            reason = f"max-age under {tls.HSTS_MINIMUM_SECONDS} seconds (one year)"
            yield Violation(span, f"Strict-Transport-Security max-age={age or 0:.0f}", reason)


def _describe(setting: Setting) -> str:
    name = setting.key[len(setting.section) + 1 :] if setting.section else setting.key
    if setting.key == setting.section:
        name = setting.section
    return f"{name} {' '.join(setting.value.split())}"[:120].strip()


class _IndexRule:
    """A rule whose logic is a function of the whole setting index of one Document."""

    example_path = "example.conf"

    def __init__(self, meta: RuleMeta, check: Callable[[SettingIndex], Iterator[Violation]]):
        self.meta = meta
        self._check = check

    def scan(self, document: Document) -> Iterator[Match]:
        if not document.settings:
            return
        seen: set[tuple[int, int]] = set()
        for violation in self._check(SettingIndex(document)):
            if violation.span not in seen:
                seen.add(violation.span)
                yield violation_match(self.meta, violation)


def _index_rule(check: Callable[[SettingIndex], Iterator[Violation]]) -> Any:
    def build(meta: RuleMeta, options: Mapping[str, Any]) -> Rule:
        return _IndexRule(meta, check)

    return build


DETECTORS = {
    "server_setting": assertion_factory(VALUE_CHECKS),
    "http_plaintext_listener": _index_rule(plaintext_listeners),
    "http_hsts": _index_rule(missing_hsts),
}
