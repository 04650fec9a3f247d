"""Databases (PostgreSQL, pg_hba.conf, MySQL, Redis, MongoDB): CFG010-CFG032."""

from __future__ import annotations

import pytest
from config_helpers import findings_of, scan_config


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param(
            "postgresql/insecure.conf",
            [("CFG010", 3), ("CFG011", 4), ("CFG012", 5), ("CFG013", 6)],
            id="postgresql-insecure",
        ),
        # ssl and log_connections default to off: reported at line 1.
        pytest.param(
            "postgresql/defaults.conf", [("CFG010", 1), ("CFG013", 1)], id="postgresql-defaults"
        ),
        pytest.param("postgresql/secure.conf", [], id="postgresql-secure"),
        pytest.param(
            "postgresql/pg_hba-insecure.conf",
            [("CFG014", 2), ("CFG015", 3), ("CFG016", 4), ("CFG015", 5)],
            id="pg-hba-insecure",
        ),
        pytest.param("postgresql/pg_hba-secure.conf", [], id="pg-hba-secure"),
        # require_secure_transport absent: reported at the [mysqld] header.
        pytest.param(
            "mysql/insecure.cnf", [("CFG020", 4), ("CFG021", 6), ("CFG022", 7)], id="mysql-insecure"
        ),
        pytest.param("mysql/secure.cnf", [], id="mysql-secure"),
        pytest.param(
            "redis/insecure.conf",
            [("CFG025", 1), ("CFG027", 1), ("CFG026", 2)],
            id="redis-insecure",
        ),
        # No bind: Redis listens on every interface; no requirepass; no tls-port.
        pytest.param("redis/defaults.conf", [("CFG025", 1), ("CFG027", 1)], id="redis-defaults"),
        pytest.param("redis/secure.conf", [], id="redis-secure"),
        pytest.param(
            "mongodb/insecure.conf",
            [("CFG032", 3), ("CFG031", 5), ("CFG030", 7)],
            id="mongodb-insecure",
        ),
        # authorization absent (no security section): line 1; tls absent: the `net:` header.
        pytest.param(
            "mongodb/defaults.conf", [("CFG030", 1), ("CFG031", 3)], id="mongodb-defaults"
        ),
        pytest.param("mongodb/secure.conf", [], id="mongodb-secure"),
    ],
)
def test_database_fixtures(fixture: str, expected: list[tuple[str, int]]) -> None:
    assert findings_of(fixture) == expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param("pg_hba.conf", "host all all ::1/128 md5\n", [("CFG015", 1)], id="ipv6-loop"),
        pytest.param(
            "pg_hba.conf",
            "hostnossl all all samenet scram-sha-256\n",
            [("CFG016", 1)],
            id="samenet",
        ),
        pytest.param("pg_hba.conf", "host all all localhost scram-sha-256\n", [], id="localhost"),
        pytest.param(
            "redis.conf",
            "user default off\nuser app on >x ~* +@all\nbind 127.0.0.1\n",
            [],
            id="redis-acl-users",
        ),
        pytest.param(
            "my.cnf",
            "[mysqld]\nrequire-secure-transport = ON\nskip_grant_tables = OFF\n",
            [],
            id="mysql-dash-underscore",
        ),
        pytest.param(
            "mongod.conf",
            "net:\n  bindIpAll: true\n  tls:\n    mode: requireTLS\n"
            "security:\n  keyFile: /etc/mongo.key\n",
            [("CFG032", 2)],
            id="bind-ip-all",
        ),
    ],
)
def test_database_snippets(name: str, text: str, expected: list[tuple[str, int]]) -> None:
    assert [(f.rule_id, f.location.start_line) for f in scan_config(name, text)] == expected


def test_redis_password_never_appears_in_findings() -> None:
    secret = "Zq3synthetic"
    findings = scan_config("redis.conf", f"requirepass {secret}\nbind 0.0.0.0\nprotected-mode no\n")
    assert [f.rule_id for f in findings] == ["CFG027", "CFG026"]
    for finding in findings:
        assert secret not in repr(finding) + finding.message + finding.preview
