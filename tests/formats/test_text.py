"""Plain text and logs: identity map, conversation lines as turns, windows for huge files."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from callguard.document import Document
from callguard.formats import FormatOptions, read_documents, read_text
from callguard.formats import text as text_format
from callguard.model import Location

FIXTURES = Path(__file__).parent.parent / "fixtures" / "formats" / "text"
PAN = re.compile(r"\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{4}")


def _only(path: str, raw: str, options: FormatOptions | None = None) -> Document:
    documents = list(read_text(path, raw, options))
    assert len(documents) == 1
    return documents[0]


def _locate(doc: Document, value: str) -> list[Location]:
    start = doc.text.index(value)
    return doc.locate(start, start + len(value))


def test_billing_call_fixture_maps_card_and_speakers() -> None:
    path = FIXTURES / "billing-call.txt"
    raw = path.read_text(encoding="utf-8")
    doc = next(read_documents(str(path), path.read_bytes()))
    assert doc.format == "text"
    assert doc.text == raw
    (location,) = _locate(doc, "4111 1111 1111 1111")
    assert raw[location.char_offset : location.char_offset + location.char_length] == (
        "4111 1111 1111 1111"
    )
    assert (location.char_offset, location.char_length) == (311, 19)
    assert (location.start_line, location.start_column) == (5, 40)
    assert (location.end_line, location.end_column) == (5, 59)
    assert location.speaker == "Caller"
    assert [t.speaker for t in doc.turns] == ["Agent", "Caller"] * 3 + ["Agent"]
    lines = raw.splitlines()
    assert [doc.text[t.start : t.end] for t in doc.turns] == lines[1:]


def test_log_fixture_keeps_log_levels_out_of_turns() -> None:
    path = FIXTURES / "chat-agent.log"
    raw = path.read_text(encoding="utf-8")
    doc = _only(str(path), raw)
    assert [t.speaker for t in doc.turns] == ["agent", "customer", "agent", "customer", "agent"]
    (location,) = _locate(doc, "5555 5555 5555 4444")
    assert raw[location.char_offset : location.char_offset + location.char_length] == (
        "5555 5555 5555 4444"
    )
    assert (location.start_line, location.start_column, location.end_column) == (5, 47, 66)
    assert location.speaker == "customer"


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        pytest.param("Agent: hello", "Agent", id="plain-role"),
        pytest.param("CUSTOMER: it's 4111", "CUSTOMER", id="upper-role"),
        pytest.param("[10:02:13] Caller: yes", "Caller", id="bracket-time"),
        pytest.param("spk_0: go on", "spk_0", id="speaker-id"),
        pytest.param("2024-05-01 10:02:13 agent> hi", "agent", id="log-arrow"),
        pytest.param("2024-05-01T10:02:13.250Z Agent Smith: ok", "Agent Smith", id="iso-time"),
        pytest.param("10:02 AM - Rep: thanks", "Rep", id="clock-dash"),
        pytest.param("(00:01:05) Speaker 2: one one", "Speaker 2", id="paren-time"),
    ],
)
def test_conversation_line_forms(line: str, speaker: str) -> None:
    raw = f"call notes\n{line}\r\nend\n"
    doc = _only("call.txt", raw)
    (turn,) = doc.turns
    assert turn.speaker == speaker
    assert doc.text[turn.start : turn.end] == line
    assert doc.segments_between(turn.start, turn.end)[0].speaker == speaker


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("Meeting notes about the renewal.\nNo call today.\n", id="prose"),
        pytest.param("Subject: refund\nNote: call back Monday\n", id="headers"),
        pytest.param("see https://example.com/a: here\nC:\\temp: x\n", id="url-path"),
        pytest.param("db:\n  value: 1\n  name: a\n  value: 2\n  name: b\n", id="indented-config"),
        pytest.param("INFO: start\nERROR: boom\nINFO: stop\nERROR: again\n", id="log-levels"),
        pytest.param("Maria: only one speaker\nMaria: talking alone\n", id="monologue"),
    ],
)
def test_non_conversation_text_gets_no_turns(raw: str) -> None:
    doc = _only("notes.txt", raw)
    assert doc.turns == []
    assert doc.text == raw
    assert doc.locate(0, len(raw))[0].char_length == len(raw)


def test_recurring_names_become_speakers() -> None:
    raw = "Maria: hi\nTom: hello Maria\nMaria: card is 4111 1111 1111 1111\nTom: ok\n"
    doc = _only("chat.txt", raw)
    assert [t.speaker for t in doc.turns] == ["Maria", "Tom", "Maria", "Tom"]
    (location,) = _locate(doc, "4111 1111 1111 1111")
    assert (location.start_line, location.start_column, location.speaker) == (3, 16, "Maria")


def test_crlf_and_bom_are_counted() -> None:
    raw = "\ufeffAgent: card please\r\nCaller: 4111 1111 1111 1111\r\n"
    doc = _only("call.txt", raw)
    (location,) = _locate(doc, "4111 1111 1111 1111")
    assert location.char_offset == raw.index("4111")
    assert (location.start_line, location.start_column, location.end_column) == (2, 9, 28)
    assert [doc.text[t.start : t.end] for t in doc.turns] == [
        "Agent: card please",
        "Caller: 4111 1111 1111 1111",
    ]


def _windowed_findings(documents: list[Document]) -> list[Location]:
    """What the engine does: find in each window, keep only what the window owns."""
    found: list[Location] = []
    for doc in documents:
        for match in PAN.finditer(doc.text):
            if doc.owns(match.start()):
                found.extend(doc.locate(match.start(), match.end()))
    return found


def _expected(raw: str) -> list[Location]:
    whole = _only("whole.txt", raw, FormatOptions(window_chars=len(raw)))
    return [whole.locate(m.start(), m.end())[0] for m in PAN.finditer(raw)]


@pytest.mark.parametrize("window_chars", [400, 997, 4000])
def test_windows_report_each_value_once_with_whole_file_positions(window_chars: int) -> None:
    lines = []
    for number in range(300):
        speaker = "Agent" if number % 2 else "Caller"
        filler = "x" * (number % 37)
        lines.append(f"[10:{number % 60:02d}:00] {speaker}: {filler} card 4111 1111 1111 1111 ok")
    raw = "\ufeff" + "\r\n".join(lines) + "\n" + "y" * 700 + " 5555 5555 5555 4444 tail"
    documents = list(read_text("big.log", raw, FormatOptions(window_chars=window_chars)))
    assert len(documents) > 1
    spans = [
        (d.raw_origin[0] + d.owned_span[0], d.raw_origin[0] + d.owned_span[1])
        for d in documents
        if d.owned_span is not None
    ]
    assert spans[0][0] == 0
    assert spans[-1][1] == len(raw)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    found = _windowed_findings(documents)
    assert [(f.char_offset, f.start_line, f.start_column, f.end_column) for f in found] == [
        (e.char_offset, e.start_line, e.start_column, e.end_column) for e in _expected(raw)
    ]
    assert all(
        raw[f.char_offset : f.char_offset + 19] in {"4111 1111 1111 1111", "5555 5555 5555 4444"}
        for f in found
    )
    for doc in documents:
        for turn in doc.turns:
            absolute = doc.raw_origin[0] + turn.start
            assert absolute == 1 or raw[absolute - 1] == "\n"


def test_huge_single_line_is_windowed_linearly() -> None:
    size = 30 * 1024 * 1024
    options = FormatOptions()
    boundary = options.window_chars - 2 * text_format.MAX_OVERLAP
    raw = "z" * (boundary - 8) + " 4111 1111 1111 1111 " + "z" * (size - boundary)
    documents = list(read_text("one-line.log", raw, options))
    assert len(documents) >= 4
    found = _windowed_findings(documents)
    assert [(f.char_offset, f.start_line, f.start_column) for f in found] == [
        (boundary - 7, 1, boundary - 6)
    ]
    assert all(doc.turns == [] for doc in documents)
