"""Certificate and private-key checks over PEM files (the `cryptography` package, imported lazily).

A certificate is reported when it has expired or expires within `warn_days` (30 by default),
when its public key is weak (RSA or DSA below 2048 bits, an elliptic curve below 256 bits), or
when it is signed with MD5 or SHA-1. Self-signed certificates are exempt from the signature
check: nobody verifies a trust anchor's own signature, so a SHA-1 root in a CA bundle is noise.

A private key is reported when it is stored without a passphrase (any `PRIVATE KEY` block that
is not `ENCRYPTED PRIVATE KEY`, has no `Proc-Type: 4,ENCRYPTED` header, or is an OpenSSH key
with cipher `none`), when it is weak, and when its file is readable or writable by every user
(the PEM reader records the mode of local files; see `callguard.formats.iac`).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from callguard.checks.configrule import ConfigRule, Hit, detector
from callguard.document import Document
from callguard.formats.iac_parse import Span, Tree
from callguard.model import RuleMeta
from callguard.rule import Rule

_BLOCK = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]{1,40})-----(?P<body>[\s\S]{0,200000}?)-----END (?P=label)-----"
)
_CERTIFICATE_LABELS = frozenset({"CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"})
_WEAK_SIGNATURES = {
    "1.2.840.113549.1.1.2": "MD2",
    "1.2.840.113549.1.1.4": "MD5",
    "1.2.840.113549.1.1.5": "SHA-1",
    "1.2.840.10045.4.1": "SHA-1",
    "1.2.840.10040.4.3": "SHA-1",
    "1.3.14.3.2.29": "SHA-1",
}
_OPENSSH_MAGIC = b"openssh-key-v1\x00"
_PEM = ("pem",)


@dataclass(frozen=True)
class PemBlock:
    """One `-----BEGIN …-----` block: its label, base64 body and the raw span of its BEGIN line."""

    label: str
    body: str = field(repr=False)
    span: Span
    text: str = field(repr=False)
    subject_id: str = ""

    @property
    def is_private_key(self) -> bool:
        return self.label.endswith("PRIVATE KEY")

    @property
    def subject(self) -> str:
        """What a finding is about: a certificate's fingerprint, else the block's place."""
        return self.subject_id or f"{self.label} at offset {self.span[0]}"


def pem_blocks(raw_text: str) -> list[PemBlock]:
    blocks = []
    for found in _BLOCK.finditer(raw_text):
        begin_end = found.start() + len(f"-----BEGIN {found.group('label')}-----")
        blocks.append(
            PemBlock(
                found.group("label"),
                found.group("body"),
                (found.start(), begin_end),
                found.group(0),
            )
        )
    return blocks


def _certificates(tree: Tree) -> Iterator[tuple[PemBlock, Any]]:
    """Each parseable certificate; the block's subject becomes its SHA-256 fingerprint."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    for block in pem_blocks(str(tree.value)):
        if block.label in _CERTIFICATE_LABELS:
            try:
                certificate = x509.load_pem_x509_certificate(block.text.encode("ascii", "replace"))
            except ValueError:
                continue
            digest = certificate.fingerprint(hashes.SHA256()).hex()
            yield dataclasses.replace(block, subject_id=f"sha256:{digest}"), certificate


def _expiry_check(warn_days: int) -> Any:
    def check(tree: Tree, document: Document) -> Iterator[Hit]:
        now = datetime.datetime.now(datetime.timezone.utc)
        for block, certificate in _certificates(tree):
            ends = certificate.not_valid_after_utc
            day = ends.date().isoformat()
            if ends <= now:
                yield Hit((block.span,), block.subject, f"certificate expired on {day}")
            elif ends - now <= datetime.timedelta(days=warn_days):
                left = (ends - now).days
                yield Hit(
                    (block.span,),
                    block.subject,
                    f"certificate expires on {day} ({left} days left)",
                    0.8,
                )

    return check


def key_weakness(key: Any) -> str | None:
    """Why a public or private key is too weak for PCI DSS strong cryptography; None if fine."""
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

    if isinstance(key, (rsa.RSAPublicKey, rsa.RSAPrivateKey)) and key.key_size < 2048:
        return f"RSA key of {key.key_size} bits (minimum 2048)"
    if isinstance(key, (dsa.DSAPublicKey, dsa.DSAPrivateKey)) and key.key_size < 2048:
        return f"DSA key of {key.key_size} bits (minimum 2048)"
    is_curve = isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey))
    if is_curve and key.curve.key_size < 256:
        return f"elliptic curve {key.curve.name} ({key.curve.key_size} bits, minimum 256)"
    return None


def weak_keys(tree: Tree, document: Document) -> Iterator[Hit]:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    for block in pem_blocks(str(tree.value)):
        key: Any = None
        try:
            if block.label in _CERTIFICATE_LABELS:
                from cryptography import x509

                key = x509.load_pem_x509_certificate(block.text.encode()).public_key()
            elif block.label == "PUBLIC KEY":
                key = serialization.load_pem_public_key(block.text.encode())
            elif block.is_private_key and not _is_encrypted(block):
                key = _load_private_key(block)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
        problem = key_weakness(key) if key is not None else None
        if problem:
            yield Hit((block.span,), block.subject, f"{block.label.lower()}: {problem}")


def _load_private_key(block: PemBlock) -> Any:
    from cryptography.hazmat.primitives import serialization

    if block.label == "OPENSSH PRIVATE KEY":
        return serialization.load_ssh_private_key(block.text.encode(), password=None)
    return serialization.load_pem_private_key(block.text.encode(), password=None)


def weak_signatures(tree: Tree, document: Document) -> Iterator[Hit]:
    for block, certificate in _certificates(tree):
        algorithm = _WEAK_SIGNATURES.get(certificate.signature_algorithm_oid.dotted_string)
        if algorithm and certificate.issuer != certificate.subject:
            yield Hit((block.span,), block.subject, f"certificate signed with {algorithm}")


def _is_encrypted(block: PemBlock) -> bool:
    if block.label == "ENCRYPTED PRIVATE KEY" or "Proc-Type: 4,ENCRYPTED" in block.body:
        return True
    if block.label != "OPENSSH PRIVATE KEY":
        return False
    try:
        data = base64.b64decode("".join(block.body.split()), validate=False)
    except (binascii.Error, ValueError):
        return False
    if not data.startswith(_OPENSSH_MAGIC):
        return False
    size = int.from_bytes(data[len(_OPENSSH_MAGIC) : len(_OPENSSH_MAGIC) + 4], "big")
    start = len(_OPENSSH_MAGIC) + 4
    return data[start : start + size] != b"none"


def unencrypted_keys(tree: Tree, document: Document) -> Iterator[Hit]:
    for block in pem_blocks(str(tree.value)):
        if block.is_private_key and not _is_encrypted(block):
            yield Hit((block.span,), block.subject, f"{block.label} stored without a passphrase")


def exposed_key_files(tree: Tree, document: Document) -> Iterator[Hit]:
    mode = tree.file_mode
    if mode is None or not mode & 0o006:
        return
    keys = [block for block in pem_blocks(str(tree.value)) if block.is_private_key]
    if keys:
        yield Hit(
            (keys[0].span,),
            document.path,
            f"private key file mode {mode:04o}: readable or writable by all users",
        )


def _expiry_detector(meta: RuleMeta, options: Mapping[str, Any]) -> Rule:
    warn_days = int(options.get("warn_days", 30))
    if warn_days < 0:
        raise ValueError("warn_days must be zero or more")
    return ConfigRule(meta, _expiry_check(warn_days), frozenset(_PEM))


DETECTORS = {
    "certificate_expiry": _expiry_detector,
    "weak_key": detector(weak_keys, _PEM),
    "weak_certificate_signature": detector(weak_signatures, _PEM),
    "unencrypted_private_key": detector(unencrypted_keys, _PEM),
    "private_key_file_mode": detector(exposed_key_files, _PEM),
}
