"""Where the answer to a prompt may be: the utterances of a call and the regions after a prompt.

An agent asks ("and the three digits on the back?") and the customer answers in the rest of that
turn or in one of the next turns of the other speaker. `utterances` lists the turns of a document
(every line outside a turn, or every line of a document without turns, stands in for one, its
"Speaker:" label read as the speaker), and `answer_regions` gives the stretches after a prompt
where its answer is looked for, bounded by an `AnswerWindow`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from callguard.document import Document


@dataclass(frozen=True)
class Utterance:
    """One turn, or one line of a document without turns; `body` starts after a speaker label."""

    start: int
    body: int
    end: int
    speaker: str | None


_LINE = re.compile(r"[^\n]+")
# What `callguard redact` leaves in place of a value (tag, keyed hash, token, mask). Where an
# answer would be, it means the answer was given and redacted: the search for one stops
# there, so a redacted transcript does not offer the next number as the answer.
REDACTED = re.compile(r"\[\[cg1:|\[[A-Z][A-Z0-9_]{2,40}(?::hmac:[0-9a-f]{6,64})?\]|#{3}|\*{3}")


def redaction_marker(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first `REDACTED` marker in text[start:end], or None.

    Every marker starts with "[", "#" or "*". Most regions hold none of them, which `in` tells
    at memchr speed; `REDACTED` tries its forms at every character (ten times as long).
    """
    region = text[start:end]
    if "[" not in region and "#" not in region and "*" not in region:
        return None
    return REDACTED.search(text, start, end)


_LABEL = re.compile(
    r"[ \t]{0,8}(?:\[[^\]\n]{1,40}\][ \t]{1,4})?(?:\d{1,2}:\d{2}(?::\d{2})?[ \t]{1,4})?"
    r"([A-Za-z][\w'.-]{0,30}(?: [A-Za-z][\w'.-]{0,30}){0,2})[ \t]{0,4}[:>](?=\s|$)"
)


def utterances_from(document: Document, position: int) -> Iterator[Utterance]:
    """The utterance holding `position`, then the ones after it, in order, read lazily.

    A prompt's answer lies at most a few utterances on, so a rule reads only those: listing
    every line of a long chat log once per prompt rule cost more than all the matching.
    """
    text, turns = document.text, document.turns
    index = max(document.turn_index(position), 0)
    if turns and turns[index].start <= position < turns[index].end:
        cursor = turns[index].start
    else:
        if turns and turns[index].end <= position:
            index += 1  # `position` lies between turns (or after the last)
        floor = turns[index - 1].end if turns and index > 0 else 0
        cursor = max(text.rfind("\n", floor, position) + 1, floor)
    for number in range(index, len(turns)):  # a slice would build every later carried turn
        turn = turns[number]
        yield from _lines(text, cursor, turn.start)
        label = _LABEL.match(text, turn.start, turn.end)
        speaker = turn.speaker or (label.group(1) if label else None)
        body = label.end() if label else turn.start
        yield Utterance(turn.start, body, turn.end, _speaker_key(speaker))
        cursor = max(cursor, turn.end)
    yield from _lines(text, cursor, len(text))


def _lines(text: str, start: int, end: int) -> Iterator[Utterance]:
    for line in _LINE.finditer(text, start, end):
        if line.group().strip():
            label = _LABEL.match(text, line.start(), line.end())
            speaker = _speaker_key(label.group(1)) if label else None
            body = label.end() if label else line.start()
            yield Utterance(line.start(), body, line.end(), speaker)


def _speaker_key(speaker: str | None) -> str | None:
    return " ".join(speaker.lower().split()) if speaker else None


@dataclass(frozen=True)
class AnswerWindow:
    """How far an answer may be from its prompt: chars in the same turn, turns, chars per turn."""

    same_turn_chars: int = 80
    turns: int = 3
    turn_chars: int = 120


def answer_regions(
    found: Sequence[Utterance], index: int, after: int, window: AnswerWindow
) -> list[tuple[int, int]]:
    """The rest of the prompt's turn, then the next turns of another speaker (labels skipped)."""
    prompt = found[index]
    regions = [(after, min(prompt.end, after + window.same_turn_chars))]
    for reply in found[index + 1 : index + 1 + window.turns]:
        if prompt.speaker and reply.speaker == prompt.speaker:
            continue
        regions.append((reply.body, min(reply.end, reply.body + window.turn_chars)))
    return regions
