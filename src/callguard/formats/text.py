"""Plain text and logs: the raw text is the analysis text, character for character.

The identity map keeps every offset exact and costs nothing. On top of it, lines that look like
conversation ("Agent: ...", "[10:02:13] Caller: ...", "2024-05-01 10:02:13 agent> ...") become
turns with a speaker, so detectors can follow a card number read out over several turns. (Lines
are found after LF or CRLF; a file with lone-CR line ends keeps exact offsets but gets turns only
for its first line.)

Huge files are cut into overlapping windows, one Document each, so each Document and the
detectors' work on it stay bounded, and no step is quadratic. The windowing contract for the engine:

* every window Document has `raw_origin` = (char offset, line, column) of its first character in
  the whole file, and `owned_span` = the analysis-text span [start, end) it is responsible for;
* the owned spans of consecutive windows tile the file exactly, and each window extends
  `overlap` characters (4096 unless `window_chars` is small) past both ends of its owned span,
  so any value up to `overlap` characters long that starts in the owned span is seen whole;
* the engine keeps a finding from a window only if `doc.owns(start)` is true for the analysis
  start of its first span, and drops it otherwise: the neighbouring window reports it, whole.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from callguard.document import Document, RawString, Segment, Turn
from callguard.lines import line_starts

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "text"

MAX_OVERLAP = 4096

_DATE_TIME = (
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,6})?(?:[ \t]?[AaPp][Mm])?"
_STAMP = rf"(?:\[[^\]\r\n]{{1,40}}\]|\(\d[^)\r\n]{{0,30}}\)|{_DATE_TIME}|{_CLOCK})"
_LABEL = r"[^\W\d_][\w'-]{0,30}\.?(?: [\w'-]{1,30}\.?){0,3}"

# A conversation line: optional BOM and indent, up to two time stamps, a label, ":" or ">".
_TURN = (
    rf"\ufeff?(?P<indent>[ \t]{{0,8}})(?:{_STAMP}[ \t]{{1,8}}(?:[-|][ \t]{{1,8}})?){{0,2}}"
    rf"(?P<label>{_LABEL})[ \t]{{0,4}}[:>](?=\s|\Z)"
)
# Public: redaction checks that an edit does not turn a line into one, or one into another.
TURN_LINE = re.compile(rf"^{_TURN}", re.MULTILINE)
# The same line after its line feed. Searching for `^` tries the whole pattern at every
# character; a literal first character lets the search skip from line feed to line feed.
_NEXT_TURN_LINE = re.compile(rf"\n{_TURN}")
_LINE_BREAK = re.compile(r"[\r\n]")

# Labels that name a role are speakers even once; other labels only when they look like a cast.
_ROLES = (
    "agent customer caller callee client rep representative operator advisor adviser associate"
    " csr member patient user assistant bot ivr supervisor consumer visitor guest speaker"
)
_ROLE_WORDS = frozenset(_ROLES.split())
_SPEAKER_ID = re.compile(r"(?:spk|speaker|channel|ch)[ _-]?\d{1,3}", re.IGNORECASE)
_NON_SPEAKERS = (
    "info warn warning error err debug trace fatal critical notice note notes todo fixme"
    " subject from to cc bcc date re fw fwd http https ftp file mailto summary status"
    " description id name value type key time"
)
_NOT_SPEAKERS = frozenset(_NON_SPEAKERS.split())


def read(path: str, raw_text: str, options: FormatOptions) -> Iterator[Document]:
    """Yield one Document, or overlapping windows of a text longer than `window_chars`."""
    if len(raw_text) <= options.window_chars:
        yield _document(path, raw_text, (0, 1, 1), None, 0)
        return
    overlap = min(MAX_OVERLAP, options.window_chars // 4)
    cursor = _LineCursor(raw_text)
    for own_start, own_end in _owned_spans(raw_text, options.window_chars - 2 * overlap, overlap):
        start = _unsplit(raw_text, max(0, own_start - overlap), -1)
        end = _unsplit(raw_text, min(len(raw_text), own_end + overlap), 1)
        window = raw_text[start:end]
        first = 0 if start == 0 or raw_text[start - 1] in "\r\n" else _after_line(window)
        owned = (own_start - start, own_end - start)
        yield _document(path, window, cursor.origin(start), owned, first)


def _speakers(matches: list[re.Match[str]]) -> tuple[set[str], set[str]]:
    """The labels that make a turn of a line, and those that do even of an indented line.

    Labels that name a role or are speaker ids always do; other labels only when they look
    like a cast: recurring names, two or more of them. Decided once per distinct label, not
    per line: a long log repeats a handful of labels.
    """
    counts = Counter(m["label"] for m in matches if not m["indent"])
    names = {label for label in counts if not _is_stop_word(label)}
    is_cast = len(names) >= 2
    roles: set[str] = set()
    speakers: set[str] = set()
    for label in {m["label"] for m in matches}:
        first = label.lower().split()[0].rstrip(".")
        if first in _ROLE_WORDS or _SPEAKER_ID.fullmatch(label) is not None:
            roles.add(label)
            speakers.add(label)
        elif is_cast and label in names and counts[label] >= 2 and len(label.split()) <= 3:
            speakers.add(label)
    return speakers, roles


def _document(
    path: str, window: str, origin: tuple[int, int, int], owned: tuple[int, int] | None, first: int
) -> Document:
    """An identity-mapped Document; recognised conversation lines become turns.

    A turn covers its line; its segment also covers the line break, so consecutive turn lines
    need no segment between them. Indented lines count only with a role label: indented
    `key: value` is configuration, not talk.
    """
    matches = _turn_lines(window, first)
    speakers, roles = _speakers(matches)
    segments: list[Segment] = []
    turns: list[Turn] = []
    has_carriage = "\r" in window
    cursor = 0
    for match in matches:
        speaker, indent = match.group("label", "indent")
        if speaker not in (roles if indent else speakers):
            continue
        start = match.start("indent")  # after a BOM
        end, stop = _line_end(window, match.end(), has_carriage)
        if start > cursor:
            segments.append(_segment(cursor, start, None, None))
        segments.append(_segment(start, stop, len(turns), speaker))
        turns.append(_turn(len(turns), start, end, speaker))
        cursor = stop
    if cursor < len(window):
        segments.append(_segment(cursor, len(window), None, None))
    return Document(
        path=path,
        format=FORMAT_NAME,
        text=window,
        raw_text=window,
        segments=segments,
        turns=turns,
        raw_origin=origin,
        owned_span=owned,
    )


def _turn_lines(window: str, first: int) -> list[re.Match[str]]:
    """The matches of `TURN_LINE.finditer(window, first)`, `first` being 0 or a line start.

    A search for `^` tries the whole pattern at every character of the file: over a quarter
    of the time a 1 MB log took to read. Searched for after a line feed instead, it skips
    from line feed to line feed; Python's `^` also matches only after a line feed (or at 0).
    """
    head = TURN_LINE.match(window) if first == 0 else None
    matches = list(_NEXT_TURN_LINE.finditer(window, max(first - 1, 0)))
    return matches if head is None else [head, *matches]


def _segment(start: int, end: int, turn: int | None, speaker: str | None) -> Segment:
    """`Segment(start, end, RawString(start, end), turn, speaker=speaker)`, faster.

    A frozen dataclass's constructor sets each field through `object.__setattr__`; a log has a
    segment and a turn per line, and building them so took over a third of the reading time.
    Filling in the instance dictionaries costs under half of that; in field order, as the
    constructor does, so they share their keys the same way. `test_text_reading` checks
    that they equal what the constructors build, every field set.
    """
    raw = object.__new__(RawString)
    fields = raw.__dict__
    fields["start"] = start
    fields["end"] = end
    fields["offsets"] = None
    segment = object.__new__(Segment)
    fields = segment.__dict__
    fields["start"] = start
    fields["end"] = end
    fields["raw"] = raw
    fields["turn"] = turn
    fields["json_pointer"] = None
    fields["speaker"] = speaker
    fields["audio_start"] = None
    fields["audio_end"] = None
    fields["mirror"] = False
    return segment


def _turn(index: int, start: int, end: int, speaker: str) -> Turn:
    """`Turn(index, start, end, speaker=speaker)`, faster (see `_segment`)."""
    turn = object.__new__(Turn)
    fields = turn.__dict__
    fields["index"] = index
    fields["start"] = start
    fields["end"] = end
    fields["speaker"] = speaker
    fields["audio_start"] = None
    fields["audio_end"] = None
    fields["mirror"] = False
    return turn


def _line_end(window: str, position: int, has_carriage: bool) -> tuple[int, int]:
    """(end of the line holding `position`, start of the next line); only that line is read.

    `has_carriage` says whether the window holds a "\\r" at all: most logs have none, and
    then one search per turn line does.
    """
    newline = window.find("\n", position)
    if newline < 0:
        newline = len(window)
    carriage = window.find("\r", position, newline) if has_carriage else -1
    if carriage < 0:
        return newline, min(newline + 1, len(window))
    return carriage, carriage + 1 + (window[carriage + 1 : carriage + 2] == "\n")


def _is_stop_word(label: str) -> bool:
    return label.lower().split()[0].rstrip(".") in _NOT_SPEAKERS


def _owned_spans(raw_text: str, size: int, overlap: int) -> Iterator[tuple[int, int]]:
    """Consecutive spans tiling the text, each about `size` long, cut at a line start if near."""
    size = max(size, 1)
    start = 0
    while start < len(raw_text):
        end = start + size
        if end >= len(raw_text):
            end = len(raw_text)
        else:
            newline = raw_text.rfind("\n", max(start + 1, end - overlap), end)
            end = _unsplit(raw_text, newline + 1 if newline >= 0 else end, 1)
        yield start, end
        start = end


def _unsplit(raw_text: str, position: int, step: int) -> int:
    """Move a cut off the middle of a CRLF, so both sides count lines the same way."""
    if 0 < position < len(raw_text) and raw_text[position - 1 : position + 1] == "\r\n":
        return position + step
    return position


def _after_line(window: str) -> int:
    """Offset after the first line break: a window's first line may start mid-line."""
    match = _LINE_BREAK.search(window)
    if match is None:
        return len(window)
    return match.end() + (window[match.start() : match.end() + 1] == "\r\n")


class _LineCursor:
    """Line and column of increasing offsets, counting each character once overall (linear)."""

    def __init__(self, raw_text: str) -> None:
        self._raw = raw_text
        self._position = 0
        self._line = 1
        self._line_start = 0

    def origin(self, offset: int) -> tuple[int, int, int]:
        """(offset, line, column) of `offset`, which must not lie inside a CRLF."""
        raw, begin = self._raw, self._position
        self._line += (
            raw.count("\n", begin, offset)
            + raw.count("\r", begin, offset)
            - raw.count("\r\n", begin, offset)
        )
        last_break = max(raw.rfind("\n", begin, offset), raw.rfind("\r", begin, offset))
        if last_break >= 0:
            self._line_start = last_break + 1
        self._position = offset
        return offset, self._line, offset - self._line_start + 1


def line_spans(raw_text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, line end excluded; a line ends at CRLF, LF or a lone CR.

    A leading BOM marks the encoding, it is not content: the first line starts after it.
    """
    starts = line_starts(raw_text)
    starts[0] = 1 if raw_text.startswith("\ufeff") else 0
    spans = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(raw_text)
        while end > start and raw_text[end - 1] in "\r\n":
            end -= 1
        spans.append((start, end))
    return spans
