"""Web/TLS front ends (nginx, Apache httpd, HAProxy): CFG001-CFG007, on fixtures and snippets."""

from __future__ import annotations

import pytest
from config_helpers import findings_of, scan_config

import callguard


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param(
            "nginx/insecure.conf",
            [
                ("CFG001", 3),  # ssl_protocols TLSv1 TLSv1.1 in http, inherited by the server
                ("CFG003", 6),  # listen 80 without redirect
                ("CFG002", 14),  # ssl_ciphers HIGH:!aNULL:!MD5
                ("CFG004", 15),  # HSTS max-age one day
                ("CFG006", 18),  # autoindex on
                ("CFG007", 20),  # stub_status without deny all: at the location header
                ("CFG005", 23),  # proxy_pass https:// with proxy_ssl_verify defaulting to off
            ],
            id="nginx-insecure",
        ),
        pytest.param(
            "nginx/defaults.conf",
            [("CFG002", 3), ("CFG004", 3), ("CFG003", 9)],  # default ciphers, no HSTS, *:80
            id="nginx-defaults",
        ),
        pytest.param(
            "apache/insecure.conf",
            [
                ("CFG003", 3),  # <VirtualHost *:80> without Redirect
                ("CFG006", 7),  # Options Indexes
                ("CFG001", 12),  # SSLEngine on, SSLProtocol absent: default all -SSLv3
                ("CFG004", 12),  # no Strict-Transport-Security
                ("CFG002", 15),  # SSLCipherSuite HIGH:!aNULL
                ("CFG007", 18),  # Require all granted on server-status
            ],
            id="apache-insecure",
        ),
        pytest.param(
            "haproxy/insecure.cfg",
            [
                ("CFG001", 2),  # ssl-min-ver TLSv1.0
                ("CFG002", 3),  # ECDHE-RSA-AES128-SHA (CBC, SHA-1)
                ("CFG004", 8),  # TLS frontend without HSTS: at `frontend web`
                ("CFG003", 9),  # bind :80 without redirect scheme https
                ("CFG007", 12),  # stats without stats auth
                ("CFG005", 16),  # server ... ssl verify none
            ],
            id="haproxy-insecure",
        ),
        pytest.param("nginx/secure.conf", [], id="nginx-secure"),
        pytest.param("apache/secure.conf", [], id="apache-secure"),
        pytest.param("haproxy/secure.cfg", [], id="haproxy-secure"),
    ],
)
def test_web_server_fixtures(fixture: str, expected: list[tuple[str, int]]) -> None:
    assert findings_of(fixture) == expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "site.conf",
            "server {\n  listen 443 ssl;\n  listen 80;\n  add_header Strict-Transport-Security"
            ' "max-age=63072000";\n  ssl_ciphers ECDHE+AESGCM:!aNULL;\n}\n',
            [("CFG003", 3)],
            id="nginx-dual-listen-plaintext-line",
        ),
        pytest.param(
            "site.conf",
            "server {\n  listen 80;\n  location / {\n    return 301 https://$host$request_uri;\n"
            "  }\n}\n",
            [],
            id="nginx-redirect-in-root-location",
        ),
        pytest.param(
            "site.conf",
            "server {\n  listen 80;\n  location /old {\n    return 301 https://example.com/;\n"
            "  }\n}\n",
            [("CFG003", 2)],
            id="nginx-redirect-only-in-sub-location",
        ),
        pytest.param(
            "site.conf",
            'http {\n  add_header Strict-Transport-Security "max-age=63072000";\n'
            "  server {\n    listen 443 ssl;\n    ssl_ciphers ECDHE+AESGCM;\n"
            "    add_header X-Frame-Options DENY;\n  }\n}\n",
            [("CFG004", 3)],
            id="nginx-add-header-in-server-hides-http-hsts",
        ),
        pytest.param(
            "site.conf",
            "server {\n  listen 443 ssl;\n  ssl_ciphers EECDH+AESGCM:EDH+AESGCM;\n"
            '  add_header Strict-Transport-Security "max-age=31536000";\n}\n',
            [("CFG002", 3)],
            id="nginx-dhe-outside-v6",
        ),
        pytest.param(
            "httpd.conf",
            "SSLProtocol all -SSLv3 -TLSv1 -TLSv1.1\n<VirtualHost *:443>\n  SSLEngine on\n"
            "  SSLCipherSuite ECDHE-RSA-AES128-GCM-SHA256\n"
            '  Header always set Strict-Transport-Security "max-age=63072000"\n</VirtualHost>\n',
            [],
            id="apache-all-minus-legacy",
        ),
        pytest.param(
            "httpd.conf",
            "<VirtualHost *:443>\n  SSLEngine on\n  SSLProtocol TLSv1.2 +TLSv1.1\n"
            "  SSLCipherSuite ECDHE-RSA-AES128-GCM-SHA256\n"
            '  Header always set Strict-Transport-Security "max-age=63072000"\n</VirtualHost>\n',
            [("CFG001", 3)],
            id="apache-plus-tls11",
        ),
        pytest.param(
            "haproxy.cfg",
            "frontend db\n  mode tcp\n  bind :5432\n  default_backend pg\n",
            [],
            id="haproxy-tcp-frontend-not-judged",
        ),
    ],
)
def test_web_server_snippets(name: str, text: str, expected: list[tuple[str, int]]) -> None:
    found = [(f.rule_id, f.location.start_line) for f in scan_config(name, text)]
    assert found == expected


def test_finding_names_guideline_and_points_at_directive() -> None:
    text = "server {\n  listen 443 ssl;\n  ssl_protocols TLSv1.1;\n}\n"
    (finding,) = [f for f in scan_config("a.conf", text) if f.rule_id == "CFG001"]
    assert "Mozilla Server Side TLS v6.0" in finding.message
    location = finding.location
    assert (location.start_line, location.start_column) == (3, 3)
    assert location.char_length == len("ssl_protocols TLSv1.1;")
    assert finding.confidence == 1.0


def test_card_number_in_config_is_still_found() -> None:
    text = "# test card 4111 1111 1111 1111\nevents {}\n"
    findings = callguard.Scanner(profile="pci").scan_bytes(text.encode(), path="nginx.conf")
    assert [(f.rule_id, f.location.start_line) for f in findings] == [("PCI001", 1)]
