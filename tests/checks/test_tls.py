"""The Mozilla TLS data in callguard.checks.tls matches the pinned published guideline (v6.0)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callguard.checks import tls

GUIDELINE = Path("/work/shared/external/config-fixtures/_reference/mozilla-tls-guidelines-6.0.json")


@pytest.mark.skipif(not GUIDELINE.is_file(), reason="shared Mozilla guideline file not present")
def test_encoded_lists_match_mozilla_v6() -> None:
    published = json.loads(GUIDELINE.read_text(encoding="utf-8"))
    assert str(published["version"]) == tls.MOZILLA_VERSION
    intermediate = published["configurations"]["intermediate"]
    assert tuple(intermediate["tls_versions"]) == tls.INTERMEDIATE_TLS_VERSIONS
    assert tuple(intermediate["ciphers"]["openssl"]) == tls.INTERMEDIATE_OPENSSL_CIPHERS
    assert tuple(intermediate["ciphers"]["iana"]) == tls.INTERMEDIATE_IANA_CIPHERS
    assert tuple(intermediate["ciphersuites"]) == tls.TLS13_CIPHERSUITES
    assert intermediate["hsts_min_age"] == tls.HSTS_RECOMMENDED_SECONDS


@pytest.mark.parametrize(
    ("value", "weak"),
    [
        pytest.param("HIGH:!aNULL:!MD5", "HIGH", id="alias-high"),
        pytest.param("ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", id="cbc-sha1"),
        pytest.param("DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES128-GCM-SHA256", id="dhe-dropped"),
        pytest.param("EECDH+AES", "EECDH+AES", id="ecdhe-any-aes"),
        pytest.param('"ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA"', "AES256-SHA", id="quoted"),
        pytest.param("ECDHE-RSA-AES128-GCM-SHA256:!aNULL:@SECLEVEL=2", None, id="ok-directives"),
        pytest.param("EECDH+AESGCM:ECDHE+CHACHA20", None, id="ok-aead-combinations"),
        pytest.param("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", None, id="ok-iana"),
    ],
)
def test_weak_cipher_reason(value: str, weak: str | None) -> None:
    reason = tls.weak_cipher_reason(value)
    if weak is None:
        assert reason is None
    else:
        assert reason == f"{weak} is outside Mozilla Server Side TLS v6.0 intermediate"


@pytest.mark.parametrize(
    ("value", "legacy"),
    [
        pytest.param("all -SSLv3", True, id="all-minus-sslv3"),
        pytest.param("all -SSLv3 -TLSv1 -TLSv1.1", False, id="all-minus-legacy"),
        pytest.param("-all +TLSv1.2 +TLSv1.3", False, id="explicit-modern"),
        pytest.param("TLSv1.2 +TLSv1", True, id="added-tls10"),
    ],
)
def test_apache_protocols(value: str, legacy: bool) -> None:
    assert (tls.apache_protocol_reason(value) is not None) == legacy
