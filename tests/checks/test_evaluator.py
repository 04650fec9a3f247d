"""The declarative setting evaluator: conditions, scopes, defaults, and option errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from callguard.checks.evaluator import Condition, parse_number, tokens
from callguard.errors import RuleError
from callguard.registry import load_pack

_CHECKS = {"always": lambda value: "bad"}


@pytest.mark.parametrize(
    ("spec", "value", "holds"),
    [
        pytest.param({"equals": "off"}, "'OFF'", True, id="equals-quoted-case"),
        pytest.param({"in": ["udp", "tcp"]}, "tls", False, id="in"),
        pytest.param({"not_in": ["0"]}, "6379", True, id="not-in"),
        pytest.param({"tokens_in": ["TLSv1"]}, "TLSv1.2,TLSv1", True, id="tokens-in"),
        pytest.param({"tokens_match": ".*-cbc"}, "aes-ctr,-aes128-cbc", False, id="removal"),
        pytest.param({"less_than": 1}, "0", True, id="less-than"),
        pytest.param({"greater_than": 900}, "1h", True, id="duration"),
        pytest.param(
            {"extract": r"max-age=(\d+)", "less_than": 10}, "max-age=5", True, id="extract"
        ),
        pytest.param(
            {"extract": r"max-age=(\d+)", "less_than": 10}, "none", False, id="no-extract"
        ),
        pytest.param({"not": {"equals": "yes"}}, "no", True, id="not"),
        pytest.param({"any": [{"equals": "a"}, {"equals": "b"}]}, "b", True, id="any"),
        pytest.param({"check": "always"}, "x", True, id="check"),
    ],
)
def test_conditions(spec: dict[str, object], value: str, holds: bool) -> None:
    assert (Condition.parse(spec, _CHECKS).reason(value) is not None) == holds


def test_number_and_token_parsing() -> None:
    assert parse_number("15m") == 900
    assert parse_number("1h30m") == 5400
    assert parse_number("soon") is None
    assert tokens('"TLSv1 TLSv1.1"') == ["TLSv1", "TLSv1.1"]


_ENTRY = """
- id: CFG999
  title: Test
  entity_type: CONFIG
  severity: error
  profiles: [config]
  detector: server_setting
  options: {kinds: [sshd], setting: PermitRootLogin, fail_if: {equals: "yes"}}
  what: w
  why: y
  cite: ["PCI DSS v4.0 8.3.1"]
  examples: {bad: ["PermitRootLogin yes"], good: ["PermitRootLogin no"]}
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(("fail_if:", "fial_if:"), "unknown assertion key(s): fial_if", id="typo"),
        pytest.param(("{equals:", "{equal:"), "unknown condition key(s): equal", id="condition"),
        pytest.param(('{equals: "yes"}', "{check: nope}"), "unknown check 'nope'", id="check"),
    ],
)
def test_bad_options_name_rule(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(_ENTRY.replace(*change))
    with pytest.raises(RuleError, match="CFG999: invalid options") as error:
        load_pack(pack)
    assert message in str(error.value)
