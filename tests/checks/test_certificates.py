"""Certificate and private-key checks. Every key and certificate is generated here, at test time."""

from __future__ import annotations

import datetime
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from checks_helpers import config_scanner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)
DAY = datetime.timedelta(days=1)
PASSPHRASE = serialization.BestAvailableEncryption(b"test passphrase")


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | None = None,
    *,
    days_left: float = 365,
    issuer: str = "callguard test CA",
    sha1: bool = False,
) -> str:
    """A certificate for a fresh (or the given) key, signed by a throwaway RSA CA key."""
    subject_key = key or ec.generate_private_key(ec.SECP256R1())
    signer = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if issuer == "self":
        issuer, signer = "ivr.example.test", subject_key  # type: ignore[assignment]
    built = (
        x509.CertificateBuilder()
        .subject_name(_name("ivr.example.test"))
        .issuer_name(_name(issuer))
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - 400 * DAY)
        .not_valid_after(NOW + days_left * DAY)
        .sign(signer, hashes.SHA256())
    )
    der = built.public_bytes(serialization.Encoding.DER)
    if sha1:  # cryptography no longer signs with SHA-1: relabel sha256WithRSA as sha1WithRSA
        der = der.replace(bytes.fromhex("2a864886f70d01010b"), bytes.fromhex("2a864886f70d010105"))
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM).decode()


def _key(key: object, fmt: serialization.PrivateFormat, encryption: object) -> str:
    return key.private_bytes(serialization.Encoding.PEM, fmt, encryption).decode()  # type: ignore[attr-defined]


def _ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


PKCS8 = serialization.PrivateFormat.PKCS8
CASES: list[object] = [
    pytest.param(lambda: _certificate(days_left=-3), [("CFG200", 1)], id="expired"),
    pytest.param(lambda: _certificate(days_left=10), [("CFG200", 1)], id="expires-in-10-days"),
    pytest.param(lambda: _certificate(days_left=90), [], id="valid-90-days"),
    pytest.param(
        lambda: _certificate(rsa.generate_private_key(65537, 1024)), [("CFG201", 1)], id="rsa-1024"
    ),
    pytest.param(lambda: _certificate(rsa.generate_private_key(65537, 2048)), [], id="rsa-2048"),
    pytest.param(
        lambda: _certificate(ec.generate_private_key(ec.SECP192R1())),
        [("CFG201", 1)],
        id="secp192r1",
    ),
    pytest.param(lambda: _certificate(sha1=True), [("CFG202", 1)], id="sha1-signed"),
    pytest.param(lambda: _certificate(issuer="self"), [], id="self-signed-sha256"),
    pytest.param(
        lambda: _key(_ec_key(), PKCS8, serialization.NoEncryption()),
        [("CFG203", 1)],
        id="pkcs8-unencrypted",
    ),
    pytest.param(lambda: _key(_ec_key(), PKCS8, PASSPHRASE), [], id="pkcs8-encrypted"),
    pytest.param(
        lambda: _key(
            rsa.generate_private_key(65537, 2048),
            serialization.PrivateFormat.TraditionalOpenSSL,
            PASSPHRASE,
        ),
        [],
        id="traditional-rsa-with-proc-type-encrypted",
    ),
    pytest.param(
        lambda: _key(rsa.generate_private_key(65537, 1024), PKCS8, serialization.NoEncryption()),
        [("CFG201", 1), ("CFG203", 1)],
        id="weak-and-unencrypted-key",
    ),
    pytest.param(
        lambda: _key(_ec_key(), serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()),
        [("CFG203", 1)],
        id="openssh-plain",
    ),
    pytest.param(
        lambda: _key(_ec_key(), serialization.PrivateFormat.OpenSSH, PASSPHRASE),
        [],
        id="openssh-encrypted",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("bcrypt") is None,
            reason="cryptography needs bcrypt for OpenSSH keys",
        ),
    ),
]


@pytest.mark.parametrize(("make", "expected"), CASES)
def test_pem_checks(
    tmp_path: Path, make: Callable[[], str], expected: list[tuple[str, int]]
) -> None:
    path = tmp_path / "server.pem"
    path.write_text(make())
    path.chmod(0o600)
    findings = config_scanner().scan_paths([path]).findings
    assert sorted((f.rule_id, f.location.start_line) for f in findings) == expected


def test_expired_certificate_of_a_chain_is_reported_at_its_own_line(tmp_path: Path) -> None:
    first = _certificate()
    path = tmp_path / "chain.pem"
    path.write_text("# leaf, then intermediate\n" + first + _certificate(days_left=-1))
    findings = config_scanner().scan_paths([path]).findings
    second_begin = 2 + len(first.splitlines())
    assert [(f.rule_id, f.location.start_line) for f in findings] == [("CFG200", second_begin)]


def test_expiring_soon_is_less_confident_than_expired(tmp_path: Path) -> None:
    soon, gone = tmp_path / "soon.crt", tmp_path / "gone.crt"
    soon.write_text(_certificate(days_left=5))
    gone.write_text(_certificate(days_left=-5))
    found = {f.path: f for f in config_scanner().scan_paths([soon, gone]).findings}
    assert found[str(soon)].confidence == 0.8
    assert found[str(gone)].confidence == 0.95
    assert "expired on" in found[str(gone)].message


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        pytest.param(0o644, [("CFG204", 1)], id="world-readable"),
        pytest.param(0o602, [("CFG204", 1)], id="world-writable"),
        pytest.param(0o640, [], id="group-readable"),
        pytest.param(0o600, [], id="owner-only"),
    ],
)
def test_key_file_mode(tmp_path: Path, mode: int, expected: list[tuple[str, int]]) -> None:
    path = tmp_path / "tls.key"
    path.write_text(_key(_ec_key(), PKCS8, PASSPHRASE))
    path.chmod(mode)
    findings = config_scanner().scan_paths([path]).findings
    assert [(f.rule_id, f.location.start_line) for f in findings] == expected


def test_key_mode_unknown_for_bytes_without_a_local_file() -> None:
    pem = _key(_ec_key(), PKCS8, PASSPHRASE).encode()
    assert config_scanner().scan_bytes(pem, path="/nonexistent/tls.key") == []


def test_unencrypted_key_finding_holds_no_key_material(tmp_path: Path) -> None:
    pem = _key(_ec_key(), PKCS8, serialization.NoEncryption())
    path = tmp_path / "tls.key"
    path.write_text(pem)
    path.chmod(0o600)
    (finding,) = config_scanner().scan_paths([path]).findings
    body = pem.splitlines()[1]
    assert body[:20] not in repr(finding) + finding.message + finding.preview
