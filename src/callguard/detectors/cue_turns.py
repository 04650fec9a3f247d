"""The turns a cue's answer is read from: a cue, the rest of its turn, the next turns.

A Document with turns (chat messages, transcript utterances) is followed turn by turn; one
without turns (`Scanner.scan_text`) is read line by line, a leading `Name:` naming the speaker.
After a cue (`callguard.detectors.conversation`, and the name questions of
`callguard.detectors.name_slots`), `answer_regions` gives where its answer may be: at most
`_FOLLOWING_TURNS` turns on, and within `ANSWER_LINES` lines of the cue. That bound in lines is
what lets a redaction read-back look for cues near its edits only (`CueRule.reach`).
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from callguard.detectors.answer_regions import redaction_marker
from callguard.document import Document, Turn

_LABEL = re.compile(
    r"[ \t]{0,8}(?:\[[^\]\n]{1,40}\][ \t]{1,4})?([A-Za-z][\w .'-]{0,30}?)[ \t]{0,4}[:>]"
)
_BACKCHANNEL = re.compile(
    r"(?:\W{0,3}(?:ok(?:ay)?|uh[- ]?huh|mhm+|mm+|hmm+|yes|yeah|yep|right|sure|got it|go ahead|"
    r"go on|thanks?|thank you|alright|all right|perfect|great|and|um+|uh+|correct)\W{0,3}){1,4}",
    re.IGNORECASE,
)
_FOLLOWING_TURNS = 4
# How many lines after its cue's line a following turn's answer may be read: the following
# turns with one other line (a blank line, a time stamp on its own line) between each. Farther
# on, a turn is no answer to the cue, whatever lies between.
ANSWER_LINES = 2 * _FOLLOWING_TURNS


@dataclass(frozen=True)
class Utterance:
    """One turn (or, without turns, one line) in analysis-text coordinates."""

    start: int
    end: int
    speaker: str | None


def utterances(document: Document) -> list[Utterance]:
    """The document's turns, or its lines when it has none (a leading `Name:` is the speaker)."""
    turns = _speaking_turns(document)
    if turns:
        return [Utterance(turn.start, turn.end, turn.speaker) for turn in turns]
    lines: list[Utterance] = []
    position = 0
    for line in document.text.split("\n"):
        lines.append(_line(line, position))
        position += len(line) + 1
    return lines


def utterances_near(document: Document, position: int) -> list[Utterance]:
    """The utterance holding `position` and the `_FOLLOWING_TURNS` after it, read lazily.

    The same utterances as `utterances`, for the few a cue's answer can be in: listing every
    line of a call once per cue rule cost more than the rules' matching.
    """
    turns, starts = _speaking(document)
    count = _FOLLOWING_TURNS + 1
    if turns:
        first = max(bisect.bisect_right(starts, position) - 1, 0)
        return [Utterance(t.start, t.end, t.speaker) for t in turns[first : first + count]]
    text = document.text
    start = text.rfind("\n", 0, position) + 1
    found: list[Utterance] = []
    while len(found) < count and start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        found.append(_line(text[start:end], start))
        start = end + 1
    return found


def _speaking_turns(document: Document) -> Sequence[Turn]:
    """The turns that carry speech: the mirror copies of a transcript are left out."""
    turns = document.turns
    if not any(turn.mirror for turn in turns):
        return turns
    return [turn for turn in turns if not turn.mirror] or turns


# The last document's speaking turns and their starts: every cue of every rule asks for them,
# and finding them walks all the turns (a cost per cue that grew with the call's length).
_last_speaking: tuple[weakref.ref[Document], Sequence[Turn], list[int]] | None = None


def _speaking(document: Document) -> tuple[Sequence[Turn], list[int]]:
    """`_speaking_turns` and their start offsets, computed once per document."""
    global _last_speaking
    last = _last_speaking
    if last is not None and last[0]() is document:
        return last[1], last[2]
    turns = _speaking_turns(document)
    starts = [turn.start for turn in turns]
    _last_speaking = (weakref.ref(document), turns, starts)
    return turns, starts


def _line(line: str, position: int) -> Utterance:
    label = _LABEL.match(line)
    speaker = label.group(1).strip().lower() if label else None
    return Utterance(position, position + len(line), speaker)


def answer_regions(
    document: Document,
    turns: Sequence[Utterance],
    cue_end: int,
    *,
    reach: int = 160,
    starts: Sequence[int] | None = None,
) -> list[tuple[int, int]]:
    """Where the answer to a cue ending at `cue_end` can be, in the order it would be said.

    First the rest of the cue's own turn; then the following turns of the other speakers,
    skipping backchannels ("okay", "uh huh") of the cue's speaker. A new question from the cue's
    speaker ends the exchange. A cue that is not a question ("my member ID is") may continue in
    the speaker's own next turn. Each region is at most `reach` characters long, and nothing
    after the `ANSWER_LINES`-th line after the cue's is read (`answer_end`).
    """
    if starts is None:
        starts = [turn.start for turn in turns]
    text = document.text
    index = bisect.bisect_right(starts, cue_end) - 1
    if index < 0 or turns[index].end < cue_end:
        # A cue outside every turn: the text after it, up to the next turn (whose label and
        # time stamp are no answer).
        stop = turns[index + 1].start if index + 1 < len(turns) else len(text)
        return _until_redacted(text, [(cue_end, min(stop, cue_end + reach))])
    limit = answer_end(text, cue_end)
    own = turns[index]
    regions = [(cue_end, min(own.end, cue_end + reach))]
    is_question = "?" in text[cue_end : min(own.end, limit)]
    for turn in turns[index + 1 : index + 1 + _FOLLOWING_TURNS]:
        if turn.start >= limit:
            break
        end = min(turn.end, limit)
        same = own.speaker is not None and turn.speaker == own.speaker
        if same and is_backchannel(text[turn.start : end]):
            continue
        if same and is_question:
            break
        body_start = _body_start(text, turn)
        regions.append((body_start, min(end, body_start + reach)))
    return _until_redacted(text, regions)


def answer_end(text: str, position: int, lines: int = ANSWER_LINES) -> int:
    """The end of the line `lines` lines after the one holding `position`, or of the text:
    how far on the answer to a cue at `position` may be read."""
    end = position
    for _ in range(lines + 1):
        end = text.find("\n", end)
        if end < 0:
            return len(text)
        end += 1
    return end - 1


def _body_start(text: str, turn: Utterance) -> int:
    """Where a turn's words start: after its own speaker label and any time stamp before it
    ("[2025-05-26 18:53] Customer:"), whose digits are no answer."""
    label = _LABEL.match(text, turn.start, turn.end)
    if label is None or turn.speaker is None:
        return turn.start
    same = label.group(1).strip().lower() == turn.speaker.strip().lower()
    return label.end() if same else turn.start


def _until_redacted(text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The regions up to the first redaction marker (see `answer_regions.REDACTED`)."""
    kept: list[tuple[int, int]] = []
    for start, end in regions:
        marker = redaction_marker(text, start, end)
        if marker is not None:
            kept.append((start, marker.start()))
            break
        kept.append((start, end))
    return kept


def is_backchannel(turn_text: str) -> bool:
    """True for a turn that only acknowledges ("okay", "uh huh, go on"), after its label."""
    label = _LABEL.match(turn_text)
    body = turn_text[label.end() :] if label else turn_text
    return not body.strip() or _BACKCHANNEL.fullmatch(body.strip()) is not None
