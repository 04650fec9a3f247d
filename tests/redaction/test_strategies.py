"""Strategies, the property that text outside findings never changes, and tokens."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callguard.engine import Scanner
from callguard.errors import ConfigError, KeyMaterialError
from callguard.redaction import Policy, RedactionError, Redactor, redact_text, unredact_bytes
from callguard.redaction.tokens import TOKEN

from .conftest import KEY_HEX, ROOT, TEST_PANS

CALL = "Agent: the long number?\nCustomer: uh, it's 4111 1111 1111 1111, and 5555-5555-5555-4444\n"
_SCANNER = Scanner(profile="pci")


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        pytest.param("tag", "it's [CREDIT_CARD], and [CREDIT_CARD]\n", id="tag"),
        pytest.param("mask", "it's #### #### #### ####, and ####-####-####-####\n", id="mask"),
        pytest.param(
            "partial", "it's 4111 11** **** 1111, and 5555-55**-****-4444\n", id="partial"
        ),
        pytest.param(
            "CREDIT_CARD=keep", "it's 4111 1111 1111 1111, and 5555-5555-5555-4444\n", id="keep"
        ),
    ],
)
def test_strategies_render(strategy: str, expected: str) -> None:
    out = redact_text(CALL, profile="pci", strategy=strategy)
    assert out.endswith(expected)
    assert out.startswith("Agent: the long number?\nCustomer: uh, ")


def test_hash_is_stable_per_key_and_differs_between_keys() -> None:
    first = redact_text(CALL, profile="pci", strategy="hash", key=KEY_HEX)
    again = redact_text(CALL, profile="pci", strategy="hash", key=KEY_HEX)
    other = redact_text(CALL, profile="pci", strategy="hash", key="ab" * 32)
    assert first == again != other
    tokens = [word for word in first.split() if word.startswith("[CREDIT_CARD:hmac:")]
    assert len(tokens) == 2
    assert len(tokens[0].rstrip(",")) == len("[CREDIT_CARD:hmac:]") + 12


def test_same_card_written_differently_hashes_the_same() -> None:
    spaced = redact_text("card 4111 1111 1111 1111", profile="pci", strategy="hash", key=KEY_HEX)
    dashed = redact_text("card 4111-1111-1111-1111", profile="pci", strategy="hash", key=KEY_HEX)
    assert spaced == dashed


def test_strategy_per_entity_type_parses() -> None:
    policy = Policy.parse("CREDIT_CARD=partial, CARD_CVV=mask,default=tag")
    assert policy.strategy_for("CREDIT_CARD") == "partial"
    assert policy.strategy_for("CARD_CVV") == "mask"
    assert policy.strategy_for("PERSON") == "tag"
    assert policy.strategy_for("CONFIG") == "keep"
    with pytest.raises(ConfigError, match="unknown strategy"):
        Policy.parse("CREDIT_CARD=blur")


def test_keyed_strategies_refuse_to_run_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLGUARD_REDACTION_KEY", raising=False)
    with pytest.raises(KeyMaterialError, match="need a key"):
        Redactor(profile="pci", strategy="token")


_TEXT = st.text(alphabet="ab :,.-\n0123456789", max_size=120)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=_TEXT, after=_TEXT, pan=st.sampled_from(TEST_PANS), sep=st.sampled_from(["", " ", "-"])
)
def test_text_outside_findings_never_changes(before: str, after: str, pan: str, sep: str) -> None:
    """Mask keeps lengths, so position by position: outside every finding nothing moves."""
    text = f"{before} card {sep.join(pan[i : i + 4] for i in range(0, len(pan), 4))} {after}"
    out = redact_text(text, profile="pci", strategy="mask")
    assert len(out) == len(text)
    inside = set()
    for finding in _SCANNER.scan_text(text):
        for location in finding.locations:
            inside.update(range(location.char_offset, location.char_offset + location.char_length))
    for index, (old, new) in enumerate(zip(text, out, strict=True)):
        if index not in inside:
            assert old == new
        elif old.isdigit():
            assert new == "#"


def test_token_round_trip_restores_every_byte() -> None:
    path = ROOT / "tests/fixtures/formats/aws-transcribe/bill-payment-diarized.json"
    redactor = Redactor(profile="pci", strategy="token", key=KEY_HEX)
    data = path.read_bytes()
    redacted = redactor.redact_bytes(data, path=str(path)).data
    assert TOKEN.search(redacted.decode())
    json.loads(redacted)
    assert unredact_bytes(redacted, path=str(path), key=KEY_HEX) == data


def test_text_that_opens_with_a_card_round_trips_as_text() -> None:
    """The output opens with a token ("[[cg1:..."), which once read back as broken JSON."""
    data = b"4111 1111 1111 1111 was the card\nAgent: thanks\n"
    redactor = Redactor(profile="pci", strategy="token", key=KEY_HEX)
    redacted = redactor.redact_bytes(data, path="call.txt").data
    assert redacted.startswith(b"[[cg1:")
    assert unredact_bytes(redacted, path="call.txt", key=KEY_HEX) == data


def test_equal_pieces_get_unequal_tokens() -> None:
    out = redact_text(
        "card 4111 1111 1111 1111 and 4111 1111 1111 1111",
        profile="pci",
        strategy="token",
        key=KEY_HEX,
    )
    first, second = TOKEN.findall(out)
    assert first != second


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda t: t.replace("cg1:CREDIT_CARD:", "cg1:CARD_CVV:"), id="relabelled"),
        pytest.param(lambda t: t[:30] + ("A" if t[30] != "A" else "B") + t[31:], id="flipped"),
        pytest.param(lambda t: t[:-4] + t[-3:], id="truncated"),
    ],
)
def test_tampered_token_is_a_clear_error(tamper: object) -> None:
    out = redact_text("card 4111 1111 1111 1111", profile="pci", strategy="token", key=KEY_HEX)
    token = TOKEN.search(out)
    assert token is not None
    assert callable(tamper)
    altered = out.replace(token[0], tamper(token[0]))
    with pytest.raises(RedactionError, match="cannot be opened") as caught:
        unredact_bytes(altered.encode(), path="call.txt", key=KEY_HEX)
    assert "4111" not in str(caught.value)


def test_wrong_key_cannot_open_tokens() -> None:
    out = redact_text("card 4111 1111 1111 1111", profile="pci", strategy="token", key=KEY_HEX)
    with pytest.raises(RedactionError, match="another key"):
        unredact_bytes(out.encode(), path="call.txt", key=os.urandom(32))


def test_remaining_finding_fails_verification(monkeypatch: pytest.MonkeyPatch) -> None:
    """If a replacement let the number through, the result is refused, not returned."""
    from callguard.redaction import policy

    monkeypatch.setattr(policy.Renderer, "render", lambda self, piece: piece.text)
    redactor = Redactor(profile="pci", strategy="tag")
    with pytest.raises(RedactionError, match="remain after redaction") as caught:
        redactor.redact_bytes(CALL.encode(), path="call.txt")
    assert not any(pan in str(caught.value) for pan in TEST_PANS)
