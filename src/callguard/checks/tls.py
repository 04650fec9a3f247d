"""TLS policy data and checks, pinned to Mozilla's Server Side TLS guidelines version 6.0.

The lists below are written from the machine-readable guidelines v6.0
(https://ssl-config.mozilla.org/guidelines/6.0.json), profile "intermediate": TLS 1.2 and 1.3
only, ECDHE key exchange with AEAD ciphers (the DHE-RSA suites of v5.x are gone), and an HSTS
max-age of two years recommended. A conformance test compares them with the published file.
Findings name the guideline version, so a report says which policy it was judged against.
"""

from __future__ import annotations

MOZILLA_VERSION = "6.0"
MOZILLA_PROFILE = "intermediate"
GUIDELINE = f"Mozilla Server Side TLS v{MOZILLA_VERSION} {MOZILLA_PROFILE}"

INTERMEDIATE_TLS_VERSIONS = ("TLSv1.2", "TLSv1.3")
# TLS 1.2 suites, OpenSSL names, in the guideline's order of preference.
INTERMEDIATE_OPENSSL_CIPHERS = (
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
)
# The same suites, IANA names (used by Java, Go, Kubernetes flags).
INTERMEDIATE_IANA_CIPHERS = (
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
)
# TLS 1.3 suites (every profile).
TLS13_CIPHERSUITES = (
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
)
HSTS_RECOMMENDED_SECONDS = 63072000  # the guideline's hsts_min_age (two years)
HSTS_MINIMUM_SECONDS = 31536000  # callguard reports below one year (HSTS preload minimum)

LEGACY_PROTOCOLS = ("SSLv2", "SSLv3", "TLSv1", "TLSv1.0", "TLSv1.1")

_ALLOWED = frozenset(
    name.upper()
    for name in (*INTERMEDIATE_OPENSSL_CIPHERS, *INTERMEDIATE_IANA_CIPHERS, *TLS13_CIPHERSUITES)
)
# OpenSSL cipher-string aliases joined with "+" select an intersection; these pairs select
# only ECDHE key exchange with an AEAD cipher, i.e. suites of the intermediate list.
_SAFE_KEY_EXCHANGE = frozenset({"ECDHE", "EECDH", "KECDHE", "KEECDH"})
_SAFE_BULK = frozenset({"AESGCM", "CHACHA20", "AES128GCM", "AES256GCM"})
_NEUTRAL_PARTS = frozenset({"ECDSA", "RSA", "AECDSA", "ARSA", "TLSV1.2"})


def weak_cipher_reason(value: str) -> str | None:
    """The first enabled cipher (or alias) outside the intermediate profile, as a reason.

    Exclusions (`!x`, `-x`), reordering (`+x`) and `@STRENGTH`/`@SECLEVEL` directives add
    nothing and are skipped. An alias such as `HIGH` or `DEFAULT` admits CBC and SHA-1 suites.
    """
    text = value.strip().strip("\"'")
    for token in text.replace(",", ":").replace(" ", ":").split(":"):
        if not token or token.startswith(("!", "-", "+", "@")):
            continue
        if token.upper() in _ALLOWED or _is_safe_combination(token):
            continue
        return f"{token} is outside {GUIDELINE}"
    return None


def _is_safe_combination(token: str) -> bool:
    parts = {part.upper() for part in token.split("+")}
    return (
        len(parts) > 1
        and bool(parts & _SAFE_KEY_EXCHANGE)
        and bool(parts & _SAFE_BULK)
        and parts <= _SAFE_KEY_EXCHANGE | _SAFE_BULK | _NEUTRAL_PARTS
    )


def apache_protocol_reason(value: str) -> str | None:
    """Legacy protocols an Apache `SSLProtocol` value enables (`all` includes TLSv1, TLSv1.1)."""
    enabled: set[str] = set()
    for token in value.split():
        sign, name = (token[0], token[1:]) if token[0] in "+-" else ("", token)
        names = {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"} if name.lower() == "all" else {name}
        names = {_canonical(n) for n in names}
        if sign == "-":
            enabled -= names
        elif sign == "+":
            enabled |= names
        else:
            enabled = set(names) if not enabled or name.lower() == "all" else enabled | names
    legacy = sorted(name for name in enabled if name in {_canonical(p) for p in LEGACY_PROTOCOLS})
    return f"enables {', '.join(legacy)} (below {INTERMEDIATE_TLS_VERSIONS[0]})" if legacy else None


def legacy_protocol_reason(value: str) -> str | None:
    """Legacy protocols named in a protocol list (`TLSv1 TLSv1.1 TLSv1.2`, `TLSv1,TLSv1.2`)."""
    legacy = {_canonical(p) for p in LEGACY_PROTOCOLS}
    found = [
        token
        for token in value.replace(",", " ").replace(":", " ").split()
        if not token.startswith(("-", "!")) and _canonical(token.lstrip("+")) in legacy
    ]
    return f"enables {', '.join(found)} (below {INTERMEDIATE_TLS_VERSIONS[0]})" if found else None


def _canonical(name: str) -> str:
    lowered = name.strip("\"'").lower().replace("_", ".")
    return "tlsv1" if lowered in ("tlsv1.0", "tls1.0", "tlsv1") else lowered
