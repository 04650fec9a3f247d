"""The quick read-back: the output's Document carried over, equal to reading it, or refused.

Redaction scans its output before writing it. For plain text and speech-to-text JSON the
output's Document is carried over from the input's instead of read again; these tests hold
that Document equal to a fresh reading on every fixture, check the cases where the reader
would decide differently (refused, so the output is read in full), and prove that the
read-back still catches a value a writer left behind, including one that only context
outside the edited span reveals.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callguard import document as document_module
from callguard.document import Document, ShiftedTurns, Turn
from callguard.engine import Scanner
from callguard.formats import config as config_format
from callguard.formats import iac, read_documents
from callguard.redaction import RedactionError, Redactor, core, readback
from callguard.redaction.pieces import apply_edits
from callguard.redaction.readback import CARRIED_FORMATS, DETECTION_HEAD, carried_over

from .conftest import FIXTURES, KEY_HEX, ROOT, TEST_PANS, holds_test_pan

AWS = ROOT / "tests/fixtures/formats/aws-transcribe/bill-payment-diarized.json"
CALL = (
    "Agent: can I have the card number?\n"
    "Customer: yes it's 4111 1111 1111 1111\n"
    "Agent: thank you. and the security code on the back?\n"
    "Customer: it's seven three seven\n"
    "Agent: and a second card?\n"
    "Customer: 5555 5555 5555 4444\n"
)
STRATEGIES = ["tag", "mask", "partial", "CREDIT_CARD=hash,default=tag"]


@functools.cache
def redactor_for(strategy: str) -> Redactor:
    """One redactor per strategy for the whole module: building one loads every rule."""
    return Redactor(profile="all", strategy=strategy, key=KEY_HEX)


def carried(redactor: Redactor, path: str, text: str) -> tuple[Document | None, str]:
    """The carried-over Document of one redaction round of `text`, and the redacted text."""
    documents = list(read_documents(path, text.encode(), redactor.scanner.format_options))
    plan = redactor._plan(documents, text, 0, [])
    new, spans = apply_edits(text, plan.edits)
    options = redactor.scanner.format_options
    return carried_over(path, documents, plan.edits, spans, new, options), new


def shape(document: Document) -> dict[str, Any]:
    """Everything the rules read: text, turns, and the segments' places and metadata."""
    identity = document.text is document.raw_text
    segments = [
        (
            s.start,
            s.end,
            s.raw.start,
            s.raw.end,
            s.json_pointer,
            s.speaker,
            s.audio_start,
            s.audio_end,
            s.mirror,
        )
        for s in document.segments
    ]
    return {
        "format": document.format,
        "text": document.text,
        "turns": [
            (t.start, t.end, t.speaker, t.audio_start, t.audio_end, t.mirror)
            for t in document.turns
        ],
        # Identity-mapped text keeps one segment: only its raw map matters, and it is exact.
        "segments": None if identity else segments,
    }


_CARRIED_FIXTURES = [
    path for path in FIXTURES if path.suffix in (".json", ".txt", ".log") and path.stat().st_size
]


@pytest.mark.parametrize("path", _CARRIED_FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_carried_over_equals_a_fresh_reading(path: Path, strategy: str) -> None:
    redactor = redactor_for(strategy)
    text = path.read_bytes().decode("utf-8")
    document, new = carried(redactor, str(path), text)
    if document is None:
        return  # not carried over: the output is read in full
    assert document.format in CARRIED_FORMATS
    again = next(read_documents(str(path), new.encode(), redactor.scanner.format_options))
    assert shape(document) == shape(again)


def test_carried_formats_are_covered_by_fixtures() -> None:
    """Every carried format meets the equality test above at least once."""
    seen = set()
    for strategy in STRATEGIES:
        redactor = redactor_for(strategy)
        for path in _CARRIED_FIXTURES:
            document, _ = carried(redactor, str(path), path.read_text(encoding="utf-8"))
            seen |= {document.format} if document is not None else set()
    assert seen == CARRIED_FORMATS


@pytest.mark.parametrize(
    ("path", "text", "strategy"),
    [
        pytest.param(
            "call.log", "4111111111111111 Agent: hi\nCustomer: ok\n", "tag", id="line-becomes-turn"
        ),
        pytest.param(
            "call.log", "[ 4111 1111 1111 1111 ] was it\n", "token", id="head-looks-like-json"
        ),
        pytest.param(
            "call.json",
            json.dumps(
                {
                    "results": {
                        "items": [
                            {
                                "start_time": "1.0",
                                "end_time": "2.0",
                                "alternatives": [{"content": "4111 1111 1111 1111"}],
                            }
                        ]
                    }
                }
            ),
            "tag",
            id="word-loses-its-spaces",
        ),
        pytest.param(
            "chat.json",
            json.dumps([{"author": "customer", "text": "card 4111 1111 1111 1111"}]),
            "tag",
            id="chat-not-carried",
        ),
    ],
)
def test_readings_that_could_differ_are_not_carried_over(
    path: str, text: str, strategy: str
) -> None:
    redactor = Redactor(profile="pci", strategy=strategy, key=KEY_HEX)
    document, new = carried(redactor, path, text)
    assert document is None
    assert not holds_test_pan(new)


def _count_readings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = core.read_documents

    def counting(path: str, data: bytes, options: Any = None) -> Any:
        calls.append(path)
        return original(path, data, options)

    monkeypatch.setattr(core, "read_documents", counting)
    return calls


@pytest.mark.parametrize(
    ("path", "readings"),
    [
        pytest.param(AWS, 1, id="aws-carried"),
        pytest.param(ROOT / "tests/fixtures/formats/chat/web-chat.json", 2, id="chat-read-again"),
    ],
)
def test_carried_formats_are_read_once(
    path: Path, readings: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_readings(monkeypatch)
    result = Redactor(profile="pci").redact_bytes(path.read_bytes(), path=str(path))
    assert result.replacements
    assert len(calls) == readings


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_quick_and_full_read_back_give_the_same_output(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    redactor = redactor_for("mask")
    quick = redactor.redact_bytes(path.read_bytes(), path=str(path))
    monkeypatch.setattr(core, "carried_over", lambda *args: None)
    full = redactor.redact_bytes(path.read_bytes(), path=str(path))
    assert (quick.data, quick.replacements) == (full.data, full.replacements)


def _leave(entity_type: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken writer: pieces of `entity_type` are written back unchanged."""
    from callguard.redaction import policy

    render = policy.Renderer.render

    def leaky(self: policy.Renderer, piece: Any) -> str:
        return str(piece.text) if piece.entity_type == entity_type else render(self, piece)

    monkeypatch.setattr(policy.Renderer, "render", leaky)


def _spy_carried(monkeypatch: pytest.MonkeyPatch) -> list[Document]:
    seen: list[Document] = []

    def spy(*args: Any) -> Document | None:
        document = readback.carried_over(*args)
        seen.extend([document] if document is not None else [])
        return document

    monkeypatch.setattr(core, "carried_over", spy)
    return seen


@pytest.mark.parametrize(
    ("entity_type", "rule_id"),
    [
        pytest.param("CREDIT_CARD", "PCI001", id="value-left"),
        # The code is a security code only because of the prompt two lines up and the card
        # talk before it: context the edits never touched.
        pytest.param("CARD_CVV", "PCI010", id="context-outside-the-edit"),
    ],
)
def test_quick_read_back_catches_a_value_left_behind(
    entity_type: str, rule_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _leave(entity_type, monkeypatch)
    seen = _spy_carried(monkeypatch)
    redactor = Redactor(profile="pci")
    with pytest.raises(RedactionError, match="remain after redaction") as caught:
        redactor.redact_bytes(CALL.encode(), path="call.log")
    assert rule_id in str(caught.value)
    assert not any(pan in str(caught.value) for pan in TEST_PANS)
    assert len(seen) == 1  # the quick reading was made, and it found the value:
    assert rule_id in {f.rule_id for f in redactor.scanner.scan_document(seen[0])}


def test_quick_read_back_catches_a_word_left_in_a_transcript(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _leave("CREDIT_CARD", monkeypatch)
    seen = _spy_carried(monkeypatch)
    with pytest.raises(RedactionError, match="remain after redaction"):
        Redactor(profile="pci").redact_bytes(AWS.read_bytes(), path=str(AWS))
    assert len(seen) == 1


def test_detection_head_covers_every_sniff() -> None:
    assert config_format._SNIFF_CHARS <= DETECTION_HEAD
    assert iac._HEAD_CHARS <= DETECTION_HEAD


_LINE_STARTS = [
    "Agent: ",
    "Customer: ",
    "[10:02:13] Caller: ",
    "spk_1 [3.5]: ",
    "Renata: ",
    "",
    "  ",
]
_BODIES = [
    "4111 1111 1111 1111",
    "5555-5555-5555-4444 please",
    "four one one one, one one one one",
    "one one one one one one one one",
    "the security code on the back?",
    "it's 737",
    "order 4111 1111 1111 1112",
    "Renata: 6011111111111117 Agent: ok",
    "call me at 555-0142",
    "thanks",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(_LINE_STARTS), st.sampled_from(_BODIES)), min_size=1, max_size=14
    ),
    strategy=st.sampled_from(STRATEGIES),
)
def test_carried_text_equals_a_fresh_reading(lines: list[tuple[str, str]], strategy: str) -> None:
    text = "".join(f"{start}{body}\n" for start, body in lines)
    redactor = redactor_for(strategy)
    document, new = carried(redactor, "call.log", text)
    if document is not None:
        again = next(read_documents("call.log", new.encode(), redactor.scanner.format_options))
        assert shape(document) == shape(again)


def test_text_that_grows_into_windows_is_read_in_full() -> None:
    """Tokens are longer than the values: an output past `window_chars` reads as windows."""
    redactor = Redactor(profile="pci", strategy="token", key=KEY_HEX)
    text = "Agent: the card?\nCustomer: 4111 1111 1111 1111\n"
    documents = list(read_documents("call.log", text.encode(), redactor.scanner.format_options))
    plan = redactor._plan(documents, text, 0, [])
    new, spans = apply_edits(text, plan.edits)
    fits = dataclasses.replace(redactor.scanner.format_options, window_chars=len(new))
    tight = dataclasses.replace(fits, window_chars=len(text))
    assert carried_over("call.log", documents, plan.edits, spans, new, fits) is not None
    assert carried_over("call.log", documents, plan.edits, spans, new, tight) is None


# -- carried turns: moved to their new places, each built when a rule asks for it -------------


def test_shifted_turns_read_as_the_turns_moved() -> None:
    turns = [
        Turn(0, 0, 10, "Agent"),
        Turn(1, 11, 30, "Customer", audio_start=1.5, audio_end=2.0),
        Turn(2, 31, 40, None, mirror=True),
    ]
    starts, ends = [0, 11, 37], [10, 36, 46]
    shifted = ShiftedTurns(turns, starts, ends)
    moved = [
        dataclasses.replace(turn, start=start, end=end)
        for turn, start, end in zip(turns, starts, ends, strict=True)
    ]
    assert len(shifted) == 3
    assert list(shifted) == moved
    assert shifted == moved  # equal to a list either way round
    assert moved == shifted
    assert shifted[-1] == moved[-1]
    assert shifted[1:] == moved[1:]
    assert shifted[0] is turns[0]  # a turn no edit moved is the turn itself
    assert shifted[1] is shifted[1]  # built once
    assert shifted != moved[:2]
    assert shifted != [*moved[:2], turns[2]]  # the last turn did move


def test_a_carried_log_builds_only_the_turns_its_rules_look_at(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[Any] = []
    real = document_module.copy_with

    def counting(item: Any, **changes: object) -> Any:
        built.append(item)
        return real(item, **changes)

    monkeypatch.setattr(document_module, "copy_with", counting)
    talk = "Agent: thanks for holding, one moment please\nCustomer: sure, no problem\n" * 150
    payment = (
        "Customer: my card is 4111 1111 1111 1111\n"
        "Agent: and the security code on the back?\n"
        "Customer: nine eight two\n"
    )
    text = talk + payment + talk
    redactor = Redactor(scanner=Scanner(profile="pci"), strategy="tag")
    document, new = carried(redactor, "long.log", text)
    assert document is not None
    assert isinstance(document.turns, ShiftedTurns)
    assert built == []  # carrying over gives the turns' new places, not new turns
    assert document.turn_index(new.rindex("Agent: thanks")) == len(document.turns) - 2
    out = redactor.redact_bytes(text.encode(), path="long.log")
    assert "[CREDIT_CARD]" in out.data.decode()
    assert "[CARD_CVV]" in out.data.decode()
    assert 0 < len(built) < 30  # of 603 turns, the prompt's and the few after it
    again = next(read_documents("long.log", new.encode(), redactor.scanner.format_options))
    assert shape(document) == shape(again)


@pytest.mark.parametrize("unescaped", ['"', "\n", "\t"])
def test_a_replacement_a_writer_forgot_to_escape_is_never_carried_over(
    unescaped: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The carried-over JSON transcript is valid only because every replacement lies inside a
    string and needs no escaping: a writer that leaves a quote or a control character
    unescaped breaks the file, which the read-back must notice, not vouch for."""
    from callguard.redaction import pieces

    monkeypatch.setattr(core, "escape", lambda text, kind: f"X{unescaped}X")
    text = AWS.read_text(encoding="utf-8")
    redactor = Redactor(profile="pci", strategy="tag", key=KEY_HEX)
    document, new = carried(redactor, str(AWS), text)
    assert document is None
    with pytest.raises(json.JSONDecodeError):
        json.loads(new)
    with pytest.raises(RedactionError, match="does not read back"):
        redactor.redact_bytes(AWS.read_bytes(), path=str(AWS))
    assert pieces.escape('a"b', "json") == 'a\\"b'  # the real writer escapes it
