"""Asterisk (pjsip.conf, manager.conf) and FreeSWITCH XML: CFG050-CFG063."""

from __future__ import annotations

import pytest
from config_helpers import findings_of, scan_config


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param(
            "asterisk/pjsip-insecure.conf", [("CFG050", 3), ("CFG051", 9)], id="pjsip-bad"
        ),
        pytest.param("asterisk/pjsip-secure.conf", [], id="pjsip-good"),
        # bindaddr absent defaults to 0.0.0.0: reported at [general].
        pytest.param(
            "asterisk/manager-insecure.conf", [("CFG052", 1), ("CFG053", 6)], id="manager-bad"
        ),
        pytest.param("asterisk/manager-secure.conf", [], id="manager-good"),
        pytest.param(
            "freeswitch/event_socket-insecure.conf.xml",
            [("CFG061", 4), ("CFG060", 6)],
            id="event-socket-bad",
        ),
        # password absent defaults to ClueCon: reported at line 1.
        pytest.param(
            "freeswitch/event_socket-defaults.conf.xml", [("CFG060", 1)], id="event-socket-default"
        ),
        pytest.param("freeswitch/event_socket-secure.conf.xml", [], id="event-socket-good"),
        # The gateway's tls param is not the profile's: the profile has no TLS.
        pytest.param(
            "freeswitch/sip_profiles/external.xml",
            [("CFG062", 1), ("CFG063", 10)],
            id="profile-bad",
        ),
        pytest.param("freeswitch/sip_profiles/internal.xml", [], id="profile-good"),
    ],
)
def test_telephony_fixtures(fixture: str, expected: list[tuple[str, int]]) -> None:
    assert findings_of(fixture) == expected


def test_pjsip_transport_default_protocol_is_udp() -> None:
    found = scan_config("pjsip.conf", "[t]\ntype=transport\nbind=0.0.0.0\n")
    assert [(f.rule_id, f.location.start_line) for f in found] == [("CFG050", 1)]


def test_manager_secret_is_never_shown() -> None:
    findings = scan_config("manager.conf", "[general]\nenabled=no\n[ops]\nsecret = hunter2\n")
    assert [(f.rule_id, f.location.start_line) for f in findings] == [("CFG053", 4)]
    assert "hunter2" not in findings[0].message + findings[0].preview + repr(findings[0])
