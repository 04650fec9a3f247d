"""OpenSSH sshd_config: CFG040-CFG044, including Match blocks and documented defaults."""

from __future__ import annotations

import pytest
from config_helpers import findings_of, scan_config


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param(
            "sshd/insecure_config",
            [
                ("CFG041", 1),  # global PasswordAuthentication absent: default yes
                ("CFG040", 2),
                ("CFG042", 3),
                ("CFG043", 4),  # aes128-cbc
                ("CFG043", 5),  # hmac-md5
                ("CFG043", 6),  # diffie-hellman-group14-sha1
                ("CFG044", 7),  # ClientAliveInterval 3600 > 900
                ("CFG041", 10),  # PasswordAuthentication yes inside Match
            ],
            id="sshd-insecure",
        ),
        pytest.param("sshd/defaults_config", [("CFG041", 1), ("CFG044", 1)], id="sshd-defaults"),
        pytest.param("sshd/secure_config", [], id="sshd-secure"),
    ],
)
def test_sshd_fixtures(fixture: str, expected: list[tuple[str, int]]) -> None:
    assert findings_of(fixture) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # sshd uses the first value it reads for a keyword.
        pytest.param("PermitRootLogin no\nPermitRootLogin yes\n", [], id="first-value-wins"),
        pytest.param("ClientAliveInterval 0\n", [("CFG044", 1)], id="zero-interval"),
        pytest.param("ClientAliveInterval 15m\n", [], id="fifteen-minutes"),
        pytest.param("MACs -hmac-sha1\n", [], id="removal-is-not-enabling"),
        pytest.param("Ciphers +3des-cbc\n", [("CFG043", 1)], id="append-weak-cipher"),
        pytest.param("permitrootlogin=yes\n", [("CFG040", 1)], id="case-and-equals"),
    ],
)
def test_sshd_snippets(text: str, expected: list[tuple[str, int]]) -> None:
    base = "PasswordAuthentication no\nClientAliveInterval 300\n"
    if "ClientAliveInterval" in text:
        base = "PasswordAuthentication no\n"
    found = scan_config("sshd_config", text + base)
    assert [(f.rule_id, f.location.start_line) for f in found] == expected
