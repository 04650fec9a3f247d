"""Kubernetes, Docker Compose and application-config checks.

Kubernetes: flags of control-plane components (kube-apiserver anonymous auth, TLS minimum
version, cipher suites) are read from container `command` and `args`; an Ingress needs `tls`.
Compose: database and admin ports must not be published on every host interface. App configs
(.env, Spring properties/YAML, Compose and Kubernetes env): no literal passwords, no database
URLs that turn TLS off, no fully exposed Spring actuator.

A secret's value never leaves this module: a hit names the setting and the value's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from callguard.checks.aws_network import ADMIN_PORTS
from callguard.checks.configrule import Hit, detector, dig, items
from callguard.document import Document
from callguard.formats.iac_parse import Path, Tree, Unknown

# Mozilla "intermediate" TLS 1.2 suites (guidelines v5.7), IANA names; TLS 1.3 suites are fixed.
STRONG_SUITES = frozenset(
    f"TLS_ECDHE_{auth}_WITH_{cipher}"
    for auth in ("ECDSA", "RSA")
    for cipher in (
        "AES_128_GCM_SHA256",
        "AES_256_GCM_SHA384",
        "CHACHA20_POLY1305_SHA256",
        "CHACHA20_POLY1305",
    )
) | {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}
_OLD_TLS = frozenset({"VersionTLS10", "VersionTLS11"})
_POD_SPECS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
_SECRET_WORDS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PWD",
        "PASS",
        "SECRET",
        "TOKEN",
        "APIKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "KEY",
        "PASSPHRASE",
    }
)
_NOT_SECRET_LAST = frozenset(
    [
        "ID",
        "FILE",
        "PATH",
        "NAME",
        "TYPE",
        "URL",
        "URI",
        "ARN",
        "REF",
        "LENGTH",
        "SIZE",
        "TTL",
        "TIMEOUT",
        "EXPIRY",
        "EXPIRATION",
        "ALGORITHM",
        "ALIAS",
        "HEADER",
        "FIELD",
        "PARAM",
        "ENABLED",
        "REQUIRED",
        "POLICY",
        "PROVIDER",
        "LOCATION",
        "STORE",
        "FORMAT",
        "MODE",
        "VERSION",
        "USER",
        "USERNAME",
        "MIN",
        "MAX",
        "COUNT",
        "PREFIX",
        "LOCATOR",
        "SECONDS",
        "MINUTES",
        "HOURS",
        "DAYS",
    ]
)
_WORD = re.compile(r"[A-Z]{1,40}(?![a-z])|[A-Z]?[a-z]{1,40}|\d{1,10}")
_PLACEHOLDER = re.compile(
    r"^(?:\$\{|\$\(|\{\{|<|ENC\(|vault:|secretsmanager:|ssm:|arn:aws:)|^[*xX]+$"
)
_INSECURE_DB = re.compile(
    r"(?i)(?<![\w.])(sslmode=(?:disable|allow)|usessl=false|requiressl=false|ssl=false|tls=false|"
    r"encrypt=false|sslmode=disabled)(?![\w])"
)
_CONNECTION = re.compile(r"(?i)://|jdbc:|\bhost=|\bserver=|\bdata source=")
_ALL_INTERFACES = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 (what we look for)
_ACTUATOR = "management.endpoints.web.exposure.include"
_RISKY_ENDPOINTS = frozenset(
    [
        "env",
        "heapdump",
        "threaddump",
        "logfile",
        "configprops",
        "shutdown",
        "jolokia",
        "beans",
        "mappings",
        "httptrace",
        "httpexchanges",
        "loggers",
        "sessions",
        "gateway",
        "trace",
        "auditevents",
        "dump",
        "restart",
        "refresh",
    ]
)


# -- Kubernetes ----------------------------------------------------------------------------------


def _containers(tree: Tree) -> Iterator[tuple[dict[str, Any], Path]]:
    for index, manifest in enumerate(tree.value or []):
        if not isinstance(manifest, dict):
            continue
        spec_path = _POD_SPECS.get(str(manifest.get("kind")), ("spec", "template", "spec"))
        spec = dig(manifest, *spec_path)
        if not isinstance(spec, dict):
            continue
        for group in ("initContainers", "containers"):
            for number, container in enumerate(items(spec.get(group))):
                if isinstance(container, dict):
                    yield container, (index, *spec_path, group, number)


def _flags(container: dict[str, Any], path: Path) -> Iterator[tuple[str, str | None, Path]]:
    """(flag, value, raw path) for each `--flag=value` / `--flag value` in command and args."""
    for key in ("command", "args"):
        words = container.get(key)
        if not isinstance(words, list):
            continue
        for number, word in enumerate(words):
            for token in str(word).split():
                if token.startswith("--"):
                    flag, _, value = token.partition("=")
                    yield flag, value if "=" in token else None, (*path, key, number)


def _runs(container: dict[str, Any], program: str) -> bool:
    words = [*items(container.get("command")), *items(container.get("args"))][:2]
    return any(str(word).split(" ")[0].rsplit("/", 1)[-1] == program for word in words)


def apiserver_anonymous_auth(tree: Tree, document: Document) -> Iterator[Hit]:
    for container, path in _containers(tree):
        if not _runs(container, "kube-apiserver"):
            continue
        name = str(container.get("name", "kube-apiserver"))
        flags = [(v, p) for f, v, p in _flags(container, path) if f == "--anonymous-auth"]
        if not flags:
            span = tree.span((*path, "command"))
            yield Hit((span,), name, f"{name}: --anonymous-auth not set (defaults to true)")
        elif (flags[-1][0] or "true").lower() != "false":
            yield Hit((tree.span(flags[-1][1]),), name, f"{name}: --anonymous-auth is true")


def tls_min_version(tree: Tree, document: Document) -> Iterator[Hit]:
    for container, path in _containers(tree):
        for flag, value, where in _flags(container, path):
            if flag == "--tls-min-version" and (value or "").strip("'\"") in _OLD_TLS:
                name = str(container.get("name", "container"))
                yield Hit((tree.span(where),), name, f"{name}: --tls-min-version={value}")


def tls_cipher_suites(tree: Tree, document: Document) -> Iterator[Hit]:
    for container, path in _containers(tree):
        for flag, value, where in _flags(container, path):
            if flag != "--tls-cipher-suites" or not value:
                continue
            suites = [s.strip(" '\"") for s in value.split(",") if s.strip(" '\"")]
            weak = [suite for suite in suites if suite not in STRONG_SUITES]
            if weak:
                name = str(container.get("name", "container"))
                detail = f"{name}: suites outside Mozilla intermediate v5.7: {', '.join(weak)}"
                yield Hit((tree.span(where),), name, detail)


def ingress_without_tls(tree: Tree, document: Document) -> Iterator[Hit]:
    for index, manifest in enumerate(tree.value or []):
        is_ingress = isinstance(manifest, dict) and manifest.get("kind") == "Ingress"
        if is_ingress and not items(dig(manifest, "spec", "tls")):
            name = str(dig(manifest, "metadata", "name") or "ingress")
            span = tree.span((index, "kind"))
            yield Hit((span,), name, f"Ingress {name}: no spec.tls, served over plain HTTP")


# -- Docker Compose ----------------------------------------------------------------------------


def _services(tree: Tree) -> Iterator[tuple[str, dict[str, Any], Path]]:
    for index, document in enumerate(tree.value or []):
        services = dig(document, "services")
        if isinstance(services, dict):
            for name, service in services.items():
                if isinstance(service, dict):
                    yield name, service, (index, "services", name)


def _published(entry: Any) -> tuple[str, list[int]] | None:
    """(host ip, ports) of a Compose port mapping; None when it cannot be read."""
    if isinstance(entry, dict):
        given = [str(entry.get("target")), str(entry.get("published"))]
        return str(entry.get("host_ip") or ""), [int(p) for p in given if p.isdigit()]
    text = str(entry).split("/", 1)[0]
    host_ip = ""
    if text.startswith("["):
        host_ip, _, text = text[1:].partition("]:")
    parts = text.split(":")
    if len(parts) == 3:
        host_ip = parts.pop(0)
    ports: list[int] = []
    for part in parts:
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            return None
        ports.extend(p for p in ADMIN_PORTS if int(low) <= p <= int(high or low))
    return host_ip, ports


def compose_public_ports(tree: Tree, document: Document) -> Iterator[Hit]:
    for name, service, path in _services(tree):
        for number, entry in enumerate(items(service.get("ports"))):
            published = _published(entry)
            if published is None or published[0] not in _ALL_INTERFACES:
                continue
            exposed = sorted({p for p in published[1] if p in ADMIN_PORTS})
            if exposed:
                shown = ", ".join(f"{p} ({ADMIN_PORTS[p]})" for p in exposed)
                span = tree.span((*path, "ports", number))
                yield Hit((span,), name, f"service {name}: {shown} published on all interfaces")


# -- settings of app configs, Compose and Kubernetes env ---------------------------------------


def _env_settings(tree: Tree) -> Iterator[tuple[str, Any, Path]]:
    """(name, value, path) of every environment variable a Compose or Kubernetes file sets."""
    if tree.kind == "compose":
        for _, service, path in _services(tree):
            environment = service.get("environment")
            if isinstance(environment, dict):
                for key, value in environment.items():
                    yield str(key), value, (*path, "environment", key)
            for number, entry in enumerate(items(environment)):
                if isinstance(entry, str) and "=" in entry:
                    key, _, value = entry.partition("=")
                    yield key, value, (*path, "environment", number)
        return
    for container, path in _containers(tree):
        for number, variable in enumerate(items(container.get("env"))):
            if isinstance(variable, dict) and "value" in variable:
                where = (*path, "env", number, "value")
                yield str(variable.get("name")), variable["value"], where


def settings(tree: Tree, document: Document) -> Iterable[tuple[str, Any, tuple[int, int]]]:
    """(key, value, raw span) of every flat setting the document holds."""
    if tree.kind in ("compose", "kubernetes"):
        return [(k, v, tree.span(p)) for k, v, p in _env_settings(tree)]
    return [(s.key, s.value, (s.raw.start, s.raw.end)) for s in document.settings]


def is_secret_name(key: str) -> bool:
    """Whether a setting name says it holds a secret (DB_PASSWORD, jwt.secret, apiKey)."""
    words = [word.upper() for word in _WORD.findall(key)]
    if not words or words[-1] in _NOT_SECRET_LAST or "PUBLIC" in words:
        return False
    return any(word in _SECRET_WORDS for word in words)


def literal_secrets(tree: Tree, document: Document) -> Iterator[Hit]:
    for key, value, span in settings(tree, document):
        if isinstance(value, Unknown) or not isinstance(value, str) or not is_secret_name(key):
            continue
        text = value.strip()
        if not text or _PLACEHOLDER.search(text) or text.lower() in ("true", "false", "null"):
            continue
        yield Hit((span,), key, f"{key} literal ({len(text)} chars)")


def insecure_db_urls(tree: Tree, document: Document) -> Iterator[Hit]:
    for key, value, span in settings(tree, document):
        if not isinstance(value, str):
            continue
        found = _INSECURE_DB.search(value)
        if found and _CONNECTION.search(value):
            yield Hit((span,), key, f"{key}: {found.group(1)}")
        elif key.upper().endswith("SSLMODE") and value.strip().lower() in ("disable", "allow"):
            yield Hit((span,), key, f"{key}={value.strip()}")


def actuator_exposure(tree: Tree, document: Document) -> Iterator[Hit]:
    for key, value, span in settings(tree, document):
        if key != _ACTUATOR or not isinstance(value, str):
            continue
        endpoints = {part.strip().strip("'\"") for part in value.split(",")}
        risky = sorted(endpoints & _RISKY_ENDPOINTS)
        if "*" in endpoints:
            yield Hit((span,), key, f"{key}=*: every actuator endpoint is exposed over HTTP")
        elif risky:
            yield Hit((span,), key, f"{key}: exposes {', '.join(risky)}")


_APP_KINDS = ("dotenv", "spring", "compose", "kubernetes")
DETECTORS = {
    "k8s_apiserver_anonymous_auth": detector(apiserver_anonymous_auth, ("kubernetes",)),
    "k8s_tls_min_version": detector(tls_min_version, ("kubernetes",)),
    "k8s_tls_cipher_suites": detector(tls_cipher_suites, ("kubernetes",)),
    "k8s_ingress_tls": detector(ingress_without_tls, ("kubernetes",)),
    "compose_public_ports": detector(compose_public_ports, ("compose",)),
    "config_literal_secret": detector(literal_secrets, _APP_KINDS),
    "config_insecure_db_url": detector(insecure_db_urls, _APP_KINDS),
    "spring_actuator_exposure": detector(actuator_exposure, ("spring",)),
}
