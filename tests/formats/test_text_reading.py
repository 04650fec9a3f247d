"""Plain-text reading in detail: turns, segments, finding places and windows on mixed logs.

The reader finds turn lines with a search that jumps from line feed to line feed and builds
its segments and turns without the dataclass constructors (`formats/text.py`); these tests pin
what that must keep: every speaker, line and column, whatever the line breaks and characters.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from callguard import Scanner
from callguard.document import Document, RawString, Segment, Turn
from callguard.formats import FormatOptions, read_text

# A call log: BOM, a role, a recurring name with non-ASCII letters and time stamps, that name
# indented (configuration, not talk), an indented role, a lone CR (no turn after it), prose, and
# a last line without a line break. `{nl}` is the line break under test.
MIXED_LOG = (
    "\ufeffAgent: Thank you for calling, how can I help?{nl}"
    "Caller: I'd like to pay, my card is 4111 1111 1111 1111{nl}"
    "  Élodie: indented, so no turn{nl}"
    "[10:02:13] Élodie: c'est la carte 5555 5555 5555 4444{nl}"
    "[10:02:20] Agent: merci Élodie, and the other one?{nl}"
    "Élodie: 4012 8888 8888 1881\rCaller: 4242 4242 4242 4242{nl}"
    "    Agent: an indented role line 6011 1111 1111 1117{nl}"
    "plain note 3782 822463 10005 here{nl}"
    "Élodie: last one, no line break 4000 0566 5566 5556"
)

TURNS = [
    ("Agent", "Agent: Thank you for calling, how can I help?"),
    ("Caller", "Caller: I'd like to pay, my card is 4111 1111 1111 1111"),
    ("Élodie", "[10:02:13] Élodie: c'est la carte 5555 5555 5555 4444"),
    ("Agent", "[10:02:20] Agent: merci Élodie, and the other one?"),
    ("Élodie", "Élodie: 4012 8888 8888 1881"),
    ("Agent", "    Agent: an indented role line 6011 1111 1111 1117"),
    ("Élodie", "Élodie: last one, no line break 4000 0566 5566 5556"),
]

# (value, line, start column, end column, speaker): the same for LF and CRLF line breaks.
CARDS = [
    ("4111 1111 1111 1111", 2, 37, 56, "Caller"),
    ("5555 5555 5555 4444", 4, 35, 54, "Élodie"),
    ("4012 8888 8888 1881", 6, 9, 28, "Élodie"),
    ("4242 4242 4242 4242", 7, 9, 28, None),
    ("6011 1111 1111 1117", 8, 34, 53, "Agent"),
    ("3782 822463 10005", 9, 12, 29, None),
    ("4000 0566 5566 5556", 10, 33, 52, "Élodie"),
]

BREAKS = [pytest.param("\n", id="lf"), pytest.param("\r\n", id="crlf")]


def _read(raw: str, options: FormatOptions | None = None) -> list[Document]:
    return list(read_text("call.log", raw, options or FormatOptions()))


@pytest.mark.parametrize("nl", BREAKS)
def test_mixed_log_turns_cover_their_lines(nl: str) -> None:
    raw = MIXED_LOG.format(nl=nl)
    (doc,) = _read(raw)
    assert doc.text == raw
    assert [(t.speaker, raw[t.start : t.end]) for t in doc.turns] == TURNS
    assert [t.index for t in doc.turns] == list(range(len(TURNS)))
    assert all(t.audio_start is None and t.audio_end is None and not t.mirror for t in doc.turns)


@pytest.mark.parametrize("nl", BREAKS)
def test_mixed_log_segments_tile_the_text_and_carry_turn_speakers(nl: str) -> None:
    raw = MIXED_LOG.format(nl=nl)
    (doc,) = _read(raw)
    segments = doc.segments
    assert segments[0].start == 0
    assert segments[-1].end == len(raw)
    assert all(a.end == b.start for a, b in itertools.pairwise(segments))
    assert all((s.raw.start, s.raw.end, s.raw.offsets) == (s.start, s.end, None) for s in segments)
    in_turns = [s for s in segments if s.turn is not None]
    assert [s.turn for s in in_turns] == [t.index for t in doc.turns]
    for segment, turn in zip(in_turns, doc.turns, strict=True):
        # A turn's segment runs from the turn to the start of the next line.
        assert (segment.start, segment.speaker) == (turn.start, turn.speaker)
        assert raw[turn.end : segment.end] in {"\r\n", "\n", "\r", ""}
    assert all(s.speaker is None for s in segments if s.turn is None)


@pytest.mark.parametrize("nl", BREAKS)
def test_mixed_log_cards_keep_line_column_and_speaker(nl: str) -> None:
    raw = MIXED_LOG.format(nl=nl)
    findings = Scanner(profile="pci").scan_bytes(raw.encode(), path="call.log")
    places = [
        (
            raw[loc.char_offset : loc.char_offset + loc.char_length],
            loc.start_line,
            loc.start_column,
            loc.end_column,
            loc.speaker,
        )
        for finding in findings
        for loc in finding.locations
    ]
    assert places == CARDS


def test_segments_and_turns_are_whole_dataclasses() -> None:
    """Built without their constructors: each must still hold every field, and nothing else."""
    (doc,) = _read(MIXED_LOG.format(nl="\r\n"))
    items: list[Segment | Turn | RawString] = [*doc.segments, *doc.turns]
    items += [segment.raw for segment in doc.segments]
    for item in items:
        assert type(item) in {Segment, Turn, RawString}
        rebuilt = dataclasses.replace(item)  # the constructor, from every field's value
        assert rebuilt == item
        assert vars(rebuilt) == vars(item)
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.start = 0  # type: ignore[misc]


def _role_log(nl: str) -> str:
    """Role labels only, so that every window decides each line as the whole file does."""
    lines = []
    for number in range(120):
        speaker = ("Agent", "Caller", "  Agent", "Customer")[number % 4]
        lines.append(f"{speaker}: line {number} " + "x" * (number % 23))
        if number % 7 == 0:
            lines.append(f"prose {number} Agent: not at the start")
    return "\ufeff" + nl.join(lines) + nl


@pytest.mark.parametrize("window_chars", [400, 433, 1000])
@pytest.mark.parametrize("nl", BREAKS)
def test_windows_read_each_whole_line_as_the_whole_file_does(nl: str, window_chars: int) -> None:
    """A window has the turns of the whole reading from its first whole line on (its first
    line may start mid-line) up to its last, whose end it may cut; and the turn starts the
    windows own are those of the whole reading."""
    raw = _role_log(nl)
    (whole,) = _read(raw, FormatOptions(window_chars=len(raw)))
    windows = _read(raw, FormatOptions(window_chars=window_chars))
    assert len(windows) > 3
    assert len(whole.turns) == 120
    owned = []
    for doc in windows:
        base, end = doc.raw_origin[0], doc.raw_origin[0] + len(doc.text)
        first = base if base == 0 or raw[base - 1] == "\n" else raw.index("\n", base) + 1
        turns = [(base + t.start, base + t.end, t.speaker) for t in doc.turns]
        assert [turn for turn in turns if turn[1] < end] == [
            (t.start, t.end, t.speaker) for t in whole.turns if t.start >= first and t.end < end
        ]
        owned += [turn for turn, t in zip(turns, doc.turns, strict=True) if doc.owns(t.start)]
    assert owned == [(t.start, t.end, t.speaker) for t in whole.turns]
