"""Shared building blocks for the vendor transcript readers (AWS, Deepgram, AssemblyAI, ...).

Every speech-to-text vendor returns the same three things in a different shape: timed words
with a speaker, whole-utterance strings, and mirrors of the same text elsewhere in the file (the
full `transcript`, paragraphs, a second word list). The readers turn their shape into `Word`s
and strings; this module turns those into turns and segments, the same way for every vendor.

Mirrors are scanned too, after the conversation: a card number left in `results.transcripts`
would otherwise survive redaction of the word items. They form turns without a speaker.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from callguard.document import DocumentBuilder, RawString
from callguard.formats.jsonpos import ParsedJson


class Word(NamedTuple):
    """One word (or punctuation mark) with its raw place, audio time and speaker."""

    text: str
    raw: RawString
    pointer: str
    start: float | None = None
    end: float | None = None
    speaker: str | None = None
    attach: bool = False  # joins the previous word without a space (punctuation, sub-words)


def seconds(value: Any, per_second: int = 1) -> float | None:
    """A time as float seconds from a number or a string such as "2.86" or "1.500s".

    `per_second` converts units (1000 for milliseconds; dividing keeps 6382 ms exactly 6.382).
    Anything else gives None: a missing or odd time must not stop the scan.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) / per_second
    if isinstance(value, str):
        try:
            return float(value.removesuffix("s")) / per_second
        except ValueError:
            return None
    return None


def label(value: Any, prefix: str = "") -> str | None:
    """A speaker or channel label as text: strings kept, integers prefixed (0 -> "ch_0")."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{prefix}{value}"
    return None


def make_word(
    parsed: ParsedJson,
    pointer: str,
    value: Any,
    *,
    start: float | None = None,
    end: float | None = None,
    speaker: str | None = None,
    attach: bool = False,
) -> Word | None:
    """A Word for the string at `pointer`, surrounding whitespace trimmed; None if not text."""
    if not isinstance(value, str):
        return None
    raw = parsed.raw(pointer)
    if raw is None:
        return None
    text, raw = strip(value, raw)
    if not text:
        return None
    return Word(text, raw, pointer, start, end, speaker, attach)


def strip(text: str, raw: RawString) -> tuple[str, RawString]:
    """`text` without surrounding whitespace, with the raw place narrowed to match."""
    stripped = text.strip()
    if len(stripped) == len(text):
        return text, raw
    begin = len(text) - len(text.lstrip())
    stop = begin + len(stripped)
    if raw.offsets is None:
        return stripped, RawString(raw.start + begin, raw.start + stop)
    offsets = raw.offsets[begin : stop + 1]
    return stripped, RawString(offsets[0], offsets[-1], offsets)


def add_words(builder: DocumentBuilder, words: Iterable[Word], used: set[str]) -> None:
    """Add words as turns, starting a new turn whenever the speaker changes.

    A word without a speaker, or one that attaches to the previous word, stays in the current
    turn. Each turn's audio span runs from its first to its last timed word. Every pointer added
    goes into `used`, so `add_mirrors` skips it.
    """
    for run in _speaker_runs(words):
        times = [w.start for w in run if w.start is not None]
        ends = [w.end for w in run if w.end is not None]
        builder.start_turn(
            speaker=next((w.speaker for w in run if w.speaker is not None), None),
            audio_start=times[0] if times else None,
            audio_end=ends[-1] if ends else None,
        )
        for index, word in enumerate(run):
            if index and not word.attach:
                builder.add_separator(" ")
            builder.add(
                word.text,
                word.raw,
                json_pointer=word.pointer,
                speaker=word.speaker,
                audio_start=word.start,
                audio_end=word.end,
            )
            used.add(word.pointer)


def _speaker_runs(words: Iterable[Word]) -> Iterator[list[Word]]:
    run: list[Word] = []
    speaker: str | None = None
    for word in words:
        changes = word.speaker is not None and speaker is not None and word.speaker != speaker
        if run and changes and not word.attach:
            yield run
            run = []
        run.append(word)
        speaker = word.speaker if word.speaker is not None else speaker
    if run:
        yield run


def add_text(
    builder: DocumentBuilder,
    parsed: ParsedJson,
    pointer: str,
    value: Any,
    used: set[str],
    *,
    speaker: str | None = None,
    start: float | None = None,
    end: float | None = None,
) -> bool:
    """Add one whole string (an utterance, a chat message) as its own turn; False if not text."""
    word = make_word(parsed, pointer, value, start=start, end=end, speaker=speaker)
    if word is None:
        return False
    builder.start_turn(speaker=speaker, audio_start=start, audio_end=end)
    builder.add(
        word.text, word.raw, json_pointer=pointer, speaker=speaker, audio_start=start, audio_end=end
    )
    used.add(pointer)
    return True


def merge_by_start(streams: Sequence[list[Word]]) -> Iterable[Word]:
    """Interleave per-channel word lists by start time, keeping each list's own order.

    Untimed words (punctuation) sort with the timed word before them, so they stay attached.
    """
    if len(streams) == 1:
        return streams[0]
    keyed = [list(_carry_start(stream, number)) for number, stream in enumerate(streams)]
    return (word for _, _, _, word in heapq.merge(*keyed))


def _carry_start(stream: list[Word], number: int) -> Iterator[tuple[float, int, int, Word]]:
    last = 0.0
    for index, word in enumerate(stream):
        last = word.start if word.start is not None else last
        yield last, number, index, word


def add_mirrors(
    builder: DocumentBuilder, parsed: ParsedJson, used: set[str], keys: frozenset[str]
) -> None:
    """Add every string under one of `keys` not already used: the vendor's copies of the text.

    Strings are grouped by the shape of their pointer, so a second word list reads as one run
    of words (`word` and `punctuated_word` each on their own, never interleaved). Single words
    of one group share a turn; longer strings get a turn each.
    """
    groups: dict[str, list[Word]] = {}
    for pointer in parsed.strings:
        key = pointer[pointer.rfind("/") + 1 :]
        if key not in keys or pointer in used:
            continue
        word = make_word(parsed, pointer, resolve(parsed.value, pointer))
        if word is not None:
            groups.setdefault(_INDEX.sub("/#", pointer), []).append(word)
    for words in groups.values():
        joined = False
        for word in words:
            is_single = " " not in word.text
            if joined and is_single:
                builder.add_separator(" ")
            else:
                builder.start_turn(mirror=True)
            builder.add(word.text, word.raw, json_pointer=word.pointer)
            joined = is_single


_INDEX = re.compile(r"/\d+(?=/|$)")


def resolve(value: Any, pointer: str) -> Any:
    """The value at a JSON pointer built by `pointer_join`, or None if there is none."""
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        elif isinstance(value, dict) and token in value:
            value = value[token]
        else:
            return None
    return value


def first(value: Any) -> Any:
    """The first item of a list, or None: vendors list alternatives best first."""
    return value[0] if isinstance(value, list) and value else None
