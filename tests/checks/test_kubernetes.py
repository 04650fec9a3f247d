"""Kubernetes checks: API server flags, TLS settings, Ingress TLS, secrets in container env."""

from __future__ import annotations

from pathlib import Path

import pytest
from checks_helpers import only, scan_config

APISERVER = """
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.0
      command:
        - kube-apiserver
        - --secure-port=6443
{flags}"""

CASES = [
    pytest.param(
        APISERVER.format(flags=""),
        ("CFG130",),
        [("CFG130", 10)],
        id="anonymous-auth-absent-defaults-to-true",
    ),
    pytest.param(
        APISERVER.format(flags="        - --anonymous-auth=true\n"),
        ("CFG130",),
        [("CFG130", 13)],
        id="anonymous-auth-true",
    ),
    pytest.param(
        APISERVER.format(flags="        - --anonymous-auth=false\n"),
        ("CFG130",),
        [],
        id="anonymous-auth-false",
    ),
    pytest.param(
        APISERVER.format(
            flags="        - --anonymous-auth=false\n        - --tls-min-version=VersionTLS11\n"
        ),
        ("CFG131",),
        [("CFG131", 14)],
        id="tls-min-version-1.1",
    ),
    pytest.param(
        APISERVER.format(
            flags="        - --anonymous-auth=false\n        - --tls-min-version=VersionTLS12\n"
        ),
        ("CFG131",),
        [],
        id="tls-min-version-1.2",
    ),
    pytest.param(
        APISERVER.format(
            flags="        - --tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA\n"
        ),
        ("CFG132",),
        [("CFG132", 13)],
        id="weak-cipher-in-list",
    ),
    pytest.param(
        APISERVER.format(
            flags="        - --tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,"
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256\n"
        ),
        ("CFG132",),
        [],
        id="strong-ciphers",
    ),
    pytest.param(
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: agent-desktop
        spec:
          rules:
            - host: agents.example.test
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: payments
        spec:
          tls:
            - hosts: [pay.example.test]
              secretName: pay-tls
        """,
        ("CFG133",),
        [("CFG133", 2)],
        id="ingress-without-tls-multi-document",
    ),
    pytest.param(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: ivr
        spec:
          template:
            spec:
              containers:
                - name: ivr
                  image: example/ivr:1.0
                  env:
                    - name: DB_PASSWORD
                      value: "Ivr-Db-Pass-2024"
                    - name: DB_PASSWORD_FROM_SECRET
                      valueFrom:
                        secretKeyRef: {name: ivr-db, key: password}
                    - name: API_TOKEN
                      value: "$(TOKEN_FROM_FILE)"
                    - name: TOKEN_TTL
                      value: "3600"
                    - name: DATABASE_URL
                      value: "postgres://ivr@db:5432/ivr?sslmode=disable"
        """,
        ("CFG150", "CFG151"),
        [("CFG150", 13), ("CFG151", 22)],
        id="deployment-env-literal-secret-and-insecure-url",
    ),
]


@pytest.mark.parametrize(("content", "rules", "expected"), CASES)
def test_kubernetes_checks(
    tmp_path: Path, content: str, rules: tuple[str, ...], expected: list[tuple[str, int]]
) -> None:
    assert only(scan_config(tmp_path, "manifest.yaml", content), *rules) == expected


def test_secret_value_never_reaches_the_finding(tmp_path: Path) -> None:
    from checks_helpers import config_scanner

    path = tmp_path / "deploy.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      env:\n"
        '        - name: STRIPE_SECRET_KEY\n          value: "sk-test-callguard-example"\n'
    )
    (finding,) = config_scanner().scan_paths([path]).findings
    assert finding.rule_id == "CFG150"
    assert "STRIPE_SECRET_KEY literal (25 chars)" in finding.message
    assert "sk-test" not in repr(finding)
    assert "callguard-example" not in finding.message + finding.preview
