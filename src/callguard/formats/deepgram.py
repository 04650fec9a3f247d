"""Deepgram output: pre-recorded responses and streaming `Results` messages.

Every word maps to its own raw string: `punctuated_word` when present (smart formatting puts
numerals and capitals there), else `word`. Pre-recorded responses with `utterances[]` are read
utterance by utterance: Deepgram already split them at speaker changes and pauses, across
channels in time order, which is what a reader of a call expects. Without utterances, the words
of `channels[].alternatives[0]` are used, channels interleaved by time. Either way a new turn
starts whenever the word's `speaker` (diarization) or, with several channels, its channel
changes. Speakers are Deepgram's numbers as text ("0", "1"); channels are "ch_<n>".

Transcripts, paragraphs, sentences, summaries and the word list not used above repeat the same
words; they are scanned afterwards as mirrors, so no copy escapes redaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from callguard.document import DocumentBuilder
from callguard.formats.jsonpos import ParsedJson
from callguard.formats.words import (
    Word,
    add_mirrors,
    add_text,
    add_words,
    first,
    label,
    make_word,
    merge_by_start,
    seconds,
)

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "deepgram"

_MIRROR_KEYS = frozenset({"transcript", "text", "word", "punctuated_word", "short", "summary"})


def matches(value: Any) -> bool:
    """A pre-recorded response (`results.channels`) or streaming `Results` message(s)."""
    if isinstance(value, list):
        return bool(value) and _is_stream_message(value[0])
    if not isinstance(value, dict):
        return False
    results = value.get("results")
    if isinstance(results, dict):
        return isinstance(results.get("channels"), list)
    return _is_stream_message(value)


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    """Add the words as speaker turns, then the mirrors."""
    value = parsed.value
    used: set[str] = set()
    if isinstance(value, dict) and isinstance(value.get("results"), dict):
        results = value["results"]
        utterances = results.get("utterances")
        if isinstance(utterances, list) and utterances:
            _read_utterances(parsed, builder, utterances, used)
        else:
            _read_channels(parsed, builder, results["channels"], used)
    else:
        messages = value if isinstance(value, list) else [value]
        for index, message in enumerate(messages):
            if _is_stream_message(message):
                where = f"/{index}" if isinstance(value, list) else ""
                _read_stream_message(parsed, builder, where, message, used)
    add_mirrors(builder, parsed, used, _MIRROR_KEYS)


def _is_stream_message(value: Any) -> bool:
    if not isinstance(value, dict) or value.get("type") != "Results":
        return False
    channel = value.get("channel")
    return isinstance(channel, dict) and isinstance(channel.get("alternatives"), list)


def _read_utterances(
    parsed: ParsedJson, builder: DocumentBuilder, utterances: list[Any], used: set[str]
) -> None:
    """One turn per utterance; an utterance without words adds its transcript string."""
    for index, utterance in enumerate(utterances):
        if not isinstance(utterance, dict):
            continue
        pointer = f"/results/utterances/{index}"
        speaker = label(utterance.get("speaker")) or label(utterance.get("channel"), "ch_")
        words = _words(parsed, f"{pointer}/words", utterance.get("words"), speaker)
        if words:
            add_words(builder, words, used)
            continue
        add_text(
            builder,
            parsed,
            f"{pointer}/transcript",
            utterance.get("transcript"),
            used,
            speaker=speaker,
            start=seconds(utterance.get("start")),
            end=seconds(utterance.get("end")),
        )


def _read_channels(
    parsed: ParsedJson, builder: DocumentBuilder, channels: list[Any], used: set[str]
) -> None:
    """The best alternative of each channel, channels interleaved by word start time."""
    streams: list[list[Word]] = []
    for number, channel in enumerate(channels):
        alternative = first(channel.get("alternatives")) if isinstance(channel, dict) else None
        if not isinstance(alternative, dict):
            continue
        pointer = f"/results/channels/{number}/alternatives/0"
        default = f"ch_{number}" if len(channels) > 1 else None
        words = _words(parsed, f"{pointer}/words", alternative.get("words"), default)
        if words:
            streams.append(words)
        else:
            transcript = alternative.get("transcript")
            add_text(builder, parsed, f"{pointer}/transcript", transcript, used, speaker=default)
    if streams:
        add_words(builder, merge_by_start(streams), used)


def _read_stream_message(
    parsed: ParsedJson,
    builder: DocumentBuilder,
    pointer: str,
    message: dict[str, Any],
    used: set[str],
) -> None:
    """One streaming message is one turn (split at speaker changes), timed by start/duration."""
    alternative = first(message["channel"]["alternatives"])
    if not isinstance(alternative, dict):
        return
    where = f"{pointer}/channel/alternatives/0"
    words = _words(parsed, f"{where}/words", alternative.get("words"), None)
    if words:
        add_words(builder, words, used)
        return
    start = seconds(message.get("start"))
    duration = seconds(message.get("duration"))
    end = start + duration if start is not None and duration is not None else None
    transcript = alternative.get("transcript")
    add_text(builder, parsed, f"{where}/transcript", transcript, used, start=start, end=end)


def _words(parsed: ParsedJson, pointer: str, words: Any, default: str | None) -> list[Word]:
    """Words of one Deepgram word list, each mapped to its `punctuated_word` (else `word`)."""
    found: list[Word] = []
    for index, item in enumerate(words if isinstance(words, list) else []):
        if not isinstance(item, dict):
            continue
        key = "punctuated_word" if isinstance(item.get("punctuated_word"), str) else "word"
        word = make_word(
            parsed,
            f"{pointer}/{index}/{key}",
            item.get(key),
            start=seconds(item.get("start")),
            end=seconds(item.get("end")),
            speaker=label(item.get("speaker")) or default,
        )
        if word is not None:
            found.append(word)
    return found
