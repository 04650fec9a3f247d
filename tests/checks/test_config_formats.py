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
    # Text rules see the whole file but its directive names, which read as spaces.
    assert document.text == "     {\n         {\n                  TLSv1.2;\n  }\n}\n"


@pytest.mark.parametrize(
    ("path", "text", "named"),
    [
        pytest.param(
            "httpd.conf",
            "<IfModule mod_ssl.c>\n  SSLProtocol -all +TLSv1.2\n</IfModule>\n",
            ["<IfModule", "SSLProtocol", "</IfModule"],
            id="apache-tags",
        ),
        pytest.param("sshd_config", "Banner /etc/issue.net\n", ["Banner"], id="sshd"),
        pytest.param("mongod.conf", "net:\n  bindIp: 10.0.0.9\n", ["net", "bindIp"], id="yaml"),
        pytest.param(
            "pjsip.conf",
            "[6001]\ntype=endpoint\ncallerid=Jane Doe <6001>\n",
            ["type", "callerid"],
            id="ini-section-named-by-admin",
        ),
    ],
)
def test_directive_and_tag_names_are_not_read_as_text(
    path: str, text: str, named: list[str]
) -> None:
    """Names are the software's vocabulary: blanked in the analysis text, at the same offsets;
    values, comments and sections named by the admin stay as they are."""
    (document,) = read_text(path, text)
    assert len(document.text) == len(text)
    for name in named:
        text = text.replace(name, " " * len(name), 1)
    assert document.text == text


def test_a_name_finder_does_not_take_a_directive_for_a_person(tmp_path: object) -> None:
    """`<IfModule>` read as a PERSON made redaction of every Apache config fail (the tagged
    file no longer parsed); `Banner` was a PERSON in sshd_config. A name in a comment stays."""
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "httpd.conf").write_text(
        "# Maintained by Maria Gonzalez, on call this week.\n"
        "<IfModule mod_ssl.c>\n  SSLProtocol -all +TLSv1.2\n</IfModule>\n"
    )
    (folder / "sshd_config").write_text("Banner /etc/issue.net\nUsePAM yes\n")
    result = callguard.Scanner(profile="hipaa").scan_paths([folder])
    people = {(Path(f.path).name, f.location.start_line) for f in result.findings}
    assert people == {("httpd.conf", 1)}


@pytest.mark.parametrize("name", ["secure.conf", "insecure.conf"])
def test_apache_configs_are_redacted_for_phi(name: str) -> None:
    """Both Apache fixtures hold an `<IfModule>` section and a web address: redaction under
    the PHI profile writes them (it refused both while `IfModule` read as a name), and the
    output is still an Apache config with the same settings."""
    from pathlib import Path

    from callguard.redaction import Redactor

    path = Path(__file__).resolve().parents[1] / "fixtures" / "config" / "apache" / name
    result = Redactor(profile="hipaa").redact_bytes(path.read_bytes(), path=str(path))
    (before,) = read_text(str(path), path.read_text())
    (after,) = read_text(str(path), result.data.decode())
    assert [s.key for s in after.settings] == [s.key for s in before.settings]
    assert "<IfModule mod_ssl.c>" in result.data.decode()
