"""App configs: .env, Spring properties and YAML, Docker Compose ports and environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from checks_helpers import config_scanner, only, scan_config

CASES = [
    pytest.param(
        ".env",
        """
        # CRM connection
        DB_HOST=db.internal
        DB_PASSWORD='Crm-Db-Pass-2024'
        DB_PASSWORD_FILE=/run/secrets/db_password
        REDIS_PASSWORD=${REDIS_PASSWORD}
        JWT_SECRET=
        AWS_ACCESS_KEY_ID=AKIAEXAMPLEEXAMPLE00
        export API_TOKEN=tok-example-value
        PGSSLMODE=disable
        """,
        ("CFG150", "CFG151"),
        [("CFG150", 3), ("CFG150", 8), ("CFG151", 9)],
        id="dotenv",
    ),
    pytest.param(
        "application.properties",
        """
        spring.datasource.url=jdbc:mysql://db.internal:3306/crm?useSSL=false
        spring.datasource.username=crm
        spring.datasource.password=changeit
        server.ssl.key-store-password=ENC(GJf0ZbkPexample)
        server.ssl.key-alias=tomcat
        management.endpoints.web.exposure.include=health,info
        """,
        ("CFG150", "CFG151", "CFG152"),
        [("CFG150", 3), ("CFG151", 1)],
        id="properties",
    ),
    pytest.param(
        "application-prod.yml",
        """
        spring:
          datasource:
            url: jdbc:postgresql://db.internal/crm?sslmode=verify-full
            password: ${DB_PASSWORD}
        management:
          endpoints:
            web:
              exposure:
                include: [health, env, heapdump]
        """,
        ("CFG150", "CFG151", "CFG152"),
        [("CFG152", 9)],
        id="spring-yaml-risky-endpoints",
    ),
    pytest.param(
        "application.properties",
        """
        management.endpoints.web.exposure.include=*
        """,
        ("CFG152",),
        [("CFG152", 1)],
        id="actuator-star",
    ),
    pytest.param(
        "docker-compose.yml",
        """
        services:
          db:
            image: postgres:16
            ports:
              - "5432:5432"
              - "127.0.0.1:6379:6379"
            environment:
              POSTGRES_PASSWORD: Compose-Pass-2024
              POSTGRES_PASSWORD_FILE: /run/secrets/pg
          pbx:
            image: example/asterisk:20
            ports:
              - "0.0.0.0:5060:5060/udp"
              - "8088:8088"
              - target: 22
                published: 2222
                host_ip: 127.0.0.1
            environment:
              - ARI_PASSWORD=${ARI_PASSWORD}
              - AMI_SECRET=Ami-Secret-2024
        """,
        ("CFG140", "CFG150"),
        [("CFG140", 5), ("CFG140", 13), ("CFG150", 8), ("CFG150", 20)],
        id="compose",
    ),
]


@pytest.mark.parametrize(("name", "content", "rules", "expected"), CASES)
def test_app_config_checks(
    tmp_path: Path, name: str, content: str, rules: tuple[str, ...], expected: list[tuple[str, int]]
) -> None:
    assert only(scan_config(tmp_path, name, content), *rules) == expected


def test_literal_secret_message_names_setting_and_length_only(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("DB_PASSWORD=Crm-Db-Pass-2024\n")
    (finding,) = config_scanner().scan_paths([path]).findings
    assert finding.message.startswith("Password or secret written in a config (DB_PASSWORD literal")
    assert "(16 chars)" in finding.message
    assert "Crm-Db" not in finding.message + finding.preview + repr(finding)


def test_compose_detected_by_content_without_compose_name(tmp_path: Path) -> None:
    content = "services:\n  cache:\n    image: redis:7\n    ports: ['6379']\n"
    assert scan_config(tmp_path, "stack.yaml", content) == [("CFG140", 4)]
