"""Config kinds are detected by name and content; malformed files fail with path and line."""

from __future__ import annotations

import pytest

import callguard
from callguard.errors import InputError
from callguard.formats import config, read_text


@pytest.mark.parametrize(
    ("path", "text", "kind"),
    [
        pytest.param("etc/nginx/nginx.conf", "events {}\n", "nginx", id="nginx-name"),
        pytest.param("site.conf", "server {\n listen 80;\n}\n", "nginx", id="nginx-content"),
        pytest.param("x.conf", "<VirtualHost *:80>\n</VirtualHost>\n", "apache", id="apache"),
        pytest.param("lb.cfg", "frontend web\n  bind :80\n", "haproxy", id="haproxy"),
        pytest.param("pg_hba.conf", "", "pg_hba", id="pg-hba-name"),
        pytest.param("etc/ssh/sshd_config.d/10-x.conf", "", "sshd", id="sshd-dropin"),
        pytest.param("sip_profiles/internal.xml", "<profile/>", "freeswitch_sip_profile", id="fs"),
        pytest.param("call.txt", "PermitRootLogin yes\n", None, id="text-never-sniffed"),
        pytest.param("notes.conf", "just some words\n", None, id="unknown-conf"),
    ],
)
def test_detect(path: str, text: str, kind: str | None) -> None:
    assert config.detect(path, text) == kind


@pytest.mark.parametrize(
    ("path", "text", "line"),
    [
        pytest.param("nginx.conf", "http {\n  server {\n    listen 80;\n}\n", 1, id="nginx-open"),
        pytest.param("nginx.conf", "events {}\n}\n", 2, id="nginx-extra-close"),
        pytest.param("nginx.conf", "events {}\nworker_processes 4\n", 2, id="nginx-no-semicolon"),
        pytest.param("httpd.conf", "<VirtualHost *:80>\n  ServerName a\n", 1, id="apache-open"),
        pytest.param("haproxy.cfg", "  bind :80\n", 1, id="haproxy-outside-section"),
        pytest.param("postgresql.conf", "ssl = on\n= off\n", 2, id="postgresql"),
        pytest.param("pg_hba.conf", "local all all trust\nhots all all 0/0 md5\n", 2, id="hba"),
        pytest.param("mongod.conf", "net:\n  bindIp: [1\n", 3, id="yaml"),
        pytest.param(
            "event_socket.conf.xml",
            '<configuration name="event_socket.conf">\n<settings>\n',
            3,
            id="xml",
        ),
    ],
)
def test_malformed_config_names_path_and_line(path: str, text: str, line: int) -> None:
    with pytest.raises(InputError) as error:
        list(read_text(path, text))
    assert str(error.value).startswith(f"{path}: line {line}: ")


def test_malformed_config_is_reported_not_skipped(tmp_path: object) -> None:
    from pathlib import Path

    target = Path(str(tmp_path)) / "nginx.conf"
    target.write_text("http {\n")
    result = callguard.Scanner(profile="config").scan_paths([target])
    assert [(error.path, error.message) for error in result.errors] == [
        (target.as_posix(), "line 1: block without closing `}`")
    ]


def test_xml_entities_are_refused() -> None:
    text = '<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<profile name="p"/>\n'
    with pytest.raises(InputError, match="DOCTYPE"):
        list(read_text("sip_profiles/p.xml", text))


def test_settings_keep_key_path_and_raw_place() -> None:
    (document,) = read_text(
        "nginx.conf", "http {\n  server {\n    ssl_protocols TLSv1.2;\n  }\n}\n"
    )
    setting = next(s for s in document.settings if s.key.endswith("ssl_protocols"))
    assert setting.key == "http.server[0].ssl_protocols"
    assert setting.section == "http.server[0]"
    assert document.raw_text[setting.raw.start : setting.raw.end] == "ssl_protocols TLSv1.2;"
    assert document.text == document.raw_text  # text rules still see the whole file
