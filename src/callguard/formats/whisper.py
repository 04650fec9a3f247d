"""Whisper-family JSON: openai-whisper and faster-whisper dumps, OpenAI `verbose_json`, WhisperX.

All share `segments[]` with float-second `start`/`end` and a `text`, optionally with `words[]`
(`word`, `start`, `end`). Whisper words carry their own leading space (" four"); a word without
one continues the previous word ("eleven" + "-ish") and is joined without a space. Each segment
is one turn; its speaker is WhisperX's `speaker` when diarized. With word timestamps each word
maps to its own `word` string, else the segment maps to its `text`. The OpenAI API puts words in
a top-level `words[]` instead; those are used when the segments have none.

The top-level `text` and the word or segment texts not used repeat the words; they are scanned
afterwards as mirrors.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from callguard.document import DocumentBuilder
from callguard.formats.jsonpos import ParsedJson
from callguard.formats.words import (
    Word,
    add_mirrors,
    add_text,
    add_words,
    label,
    make_word,
    seconds,
)

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "whisper"

_MIRROR_KEYS = frozenset({"text", "word"})
# Keys only Whisper-family segments have; a bare list of segments must show one of them.
_SEGMENT_MARKERS = frozenset({"seek", "tokens", "avg_logprob", "no_speech_prob", "words"})


def matches(value: Any) -> bool:
    """A `segments[]` list of timed texts, at the top level or under an object with `text`."""
    if isinstance(value, list):
        return bool(value) and _is_segment(value[0]) and not _SEGMENT_MARKERS.isdisjoint(value[0])
    if not isinstance(value, dict):
        return False
    segments = value.get("segments")
    if not isinstance(segments, list):
        return False
    if not segments:
        return isinstance(value.get("text"), str)
    return _is_segment(segments[0])


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    """One turn per segment, then the mirrors."""
    value = parsed.value
    used: set[str] = set()
    base = "" if isinstance(value, list) else "/segments"
    segments = value if isinstance(value, list) else value.get("segments", [])
    top = None if isinstance(value, list) else value.get("words")
    loose = deque(_words(parsed, "/words", top, None))  # the API's top-level word list
    for index, segment in enumerate(segments):
        if not isinstance(segment, dict):
            continue
        pointer = f"{base}/{index}"
        if loose and not segment.get("words"):
            taken = _take_before(loose, seconds(segment.get("end")))
            if taken:
                add_words(builder, taken, used)
                continue
        _read_segment(parsed, builder, pointer, segment, used)
    if loose:
        add_words(builder, list(loose), used)
    add_mirrors(builder, parsed, used, _MIRROR_KEYS)


def _take_before(words: deque[Word], end: float | None) -> list[Word]:
    """Pop the leading words that start before `end`: one segment's share of the word list."""
    taken: list[Word] = []
    while words:
        start = words[0].start
        if end is not None and start is not None and start >= end:
            break
        taken.append(words.popleft())
    return taken


def _is_segment(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("text"), str)
        and isinstance(value.get("start"), (int, float))
        and isinstance(value.get("end"), (int, float))
    )


def _read_segment(
    parsed: ParsedJson,
    builder: DocumentBuilder,
    pointer: str,
    segment: dict[str, Any],
    used: set[str],
) -> None:
    speaker = label(segment.get("speaker"))
    words = _words(parsed, f"{pointer}/words", segment.get("words"), speaker)
    if words:
        add_words(builder, words, used)
        return
    add_text(
        builder,
        parsed,
        f"{pointer}/text",
        segment.get("text"),
        used,
        speaker=speaker,
        start=seconds(segment.get("start")),
        end=seconds(segment.get("end")),
    )


def _words(parsed: ParsedJson, pointer: str, words: Any, speaker: str | None) -> list[Word]:
    """Whisper words; one without a leading space continues the word before it.

    WhisperX strips the spaces from every word, so a list with no spaced word has no joins.
    """
    items: list[tuple[int, dict[str, Any], str]] = [
        (index, item, item["word"])
        for index, item in enumerate(words if isinstance(words, list) else [])
        if isinstance(item, dict) and isinstance(item.get("word"), str)
    ]
    spaced = any(text[:1].isspace() for _, _, text in items)
    found: list[Word] = []
    for index, item, text in items:
        word = make_word(
            parsed,
            f"{pointer}/{index}/word",
            text,
            start=seconds(item.get("start")),
            end=seconds(item.get("end")),
            speaker=label(item.get("speaker")) or speaker,
            attach=spaced and bool(found) and not text[:1].isspace(),
        )
        if word is not None:
            found.append(word)
    return found
