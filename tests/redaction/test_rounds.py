"""Redaction that creates or leaves a finding: redacted again, or refused with a clear error.

A mask has no letters, so masking a written card number between two halves of a spoken one
joins the halves into one number said in pieces (PCI002): the first round creates a finding
that only a second round removes. Both the library (`redact_text`, `redact_document`) and
files (`redact_bytes`) must end with nothing left, or fail naming the rule, never the value.
"""

from __future__ import annotations

import dataclasses

import pytest

from callguard.engine import Scanner
from callguard.formats import read_text
from callguard.redaction import RedactionError, Redactor, redact_document, redact_text

from .conftest import TEST_PANS, holds_test_pan

# 4111 1111 1111 1111 written, with 5555 5555 5555 4444 said around it in two pieces.
JOINED = (
    "Agent: go ahead with the card\n"
    "Customer: five five five five 4111 1111 1111 1111 five five five five"
    " five five five five four four four four\n"
)
_SCANNER = Scanner(profile="pci")


def test_first_round_alone_leaves_a_joined_number() -> None:
    """The premise: one round of masking leaves a number that a scan of the output finds."""
    redactor = Redactor(scanner=_SCANNER, strategy="mask")
    one_round = JOINED.replace("4111 1111 1111 1111", "#### #### #### ####")
    assert [f.rule_id for f in _SCANNER.scan_text(one_round)] == ["PCI002"]
    assert redactor.redact_text(JOINED) != one_round


@pytest.mark.parametrize(
    "redact",
    [
        pytest.param(lambda text: redact_text(text, profile="pci", strategy="mask"), id="text"),
        pytest.param(
            lambda text: redact_document(
                next(read_text("call.log", text)), profile="pci", strategy="mask"
            ),
            id="document",
        ),
        pytest.param(
            lambda text: (
                Redactor(scanner=_SCANNER, strategy="mask")
                .redact_bytes(text.encode(), path="call.log")
                .data.decode()
            ),
            id="bytes",
        ),
    ],
)
def test_a_finding_created_by_redaction_is_redacted_too(redact: object) -> None:
    assert callable(redact)
    out = redact(JOINED)
    assert len(out) == len(JOINED)  # mask keeps lengths
    assert not holds_test_pan(out)
    assert _SCANNER.scan_text(out) == []
    assert out.startswith("Agent: go ahead with the card\nCustomer: **** ")


def test_redact_document_keeps_turns_between_rounds() -> None:
    """Later rounds scan the Document carried over: the same turns, the redacted text."""
    document = next(read_text("call.log", JOINED))
    assert len(document.turns) == 2
    out = Redactor(scanner=_SCANNER, strategy="mask").redact_document(document)
    assert out.count("\n") == JOINED.count("\n")
    assert out.splitlines()[0] == "Agent: go ahead with the card"


def test_redact_document_fails_when_findings_remain(monkeypatch: pytest.MonkeyPatch) -> None:
    from callguard.redaction import policy

    monkeypatch.setattr(policy.Renderer, "render", lambda self, piece: piece.text)
    with pytest.raises(RedactionError, match="remain after redaction") as caught:
        redact_text(JOINED, profile="pci")
    message = str(caught.value)
    assert "PCI001" in message
    assert "\n" not in message
    assert not any(pan in message.replace(" ", "") for pan in TEST_PANS)


def test_redact_document_of_a_window_of_a_huge_text() -> None:
    """A window of a huge text is redacted at its own offsets, over several rounds too."""
    options = dataclasses.replace(_SCANNER.format_options, window_chars=2048)
    filler = "Agent: thank you for calling, how can I help today with your order?\n"
    text = filler * 40 + JOINED + filler * 40
    at = text.index(JOINED)
    windows = list(read_text("big.log", text, options))
    (owner,) = [w for w in windows if w.owns(at - w.raw_origin[0])]
    assert owner.raw_origin[0] > 0
    out = Redactor(scanner=_SCANNER, strategy="mask").redact_document(owner)
    assert len(out) == len(owner.raw_text)
    start = at - owner.raw_origin[0]
    assert not holds_test_pan(out[start : start + len(JOINED)])


def test_redact_document_reads_captions_again_between_rounds() -> None:
    """Caption text escapes entities: it is not carried over but read again."""
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n" + JOINED.splitlines()[1] + "\n"
    document = next(read_text("call.vtt", vtt))
    assert document.format == "webvtt"
    out = Redactor(scanner=_SCANNER, strategy="mask").redact_document(document)
    assert not holds_test_pan(out)
    assert out.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n")
