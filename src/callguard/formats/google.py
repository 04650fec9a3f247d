"""Google Cloud Speech-to-Text responses and Contact Center AI Insights conversation uploads.

Speech-to-Text (v1 and v2, camelCase or snake_case keys, bare or inside a long-running
operation's `response`): each `results[]` entry is one turn built from the words of its best
alternative, each word mapped to its own `word` string, times from `startTime`/`endTime` (v1,
"1.500s") or `startOffset`/`endOffset` (v2). A new turn also starts where `speakerLabel` or
`speakerTag` changes; without speakers, `channelTag` names the speaker ("ch_<n>"). With
diarization, v1 repeats every word, labelled, in the last result: only the results whose words
carry speakers are then read as the conversation. Results without words add their transcript.

CCAI Insights uploads (`entries[]`): one turn per entry, speaker its `role` (else "user_<id>").
`start_timestamp_usec` is an audio offset for voice conversations; values too large to be one
(epoch times of chat messages) give no audio time.

Everything not read as the conversation (transcripts, repeated words) is scanned as mirrors.
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
    seconds,
)

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "google-stt"
CCAI_FORMAT_NAME = "ccai-insights"

_MIRROR_KEYS = frozenset({"transcript", "word", "text"})
_MAX_OFFSET_USEC = 10**11  # about 28 hours: longer "offsets" are epoch timestamps
_START_KEYS = ("startTime", "startOffset", "start_time", "start_offset")
_END_KEYS = ("endTime", "endOffset", "end_time", "end_offset")


def matches(value: Any) -> bool:
    """Speech-to-Text `results[]` of alternatives, or a CCAI Insights `entries[]` upload."""
    return _is_ccai(value) or _stt_results(value) is not None


def format_name(value: Any) -> str:
    """`ccai-insights` for conversation uploads, `google-stt` for Speech-to-Text output."""
    return CCAI_FORMAT_NAME if _is_ccai(value) else FORMAT_NAME


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    """Add the conversation turns, then the mirrors."""
    used: set[str] = set()
    if _is_ccai(parsed.value):
        _read_ccai(parsed, builder, parsed.value["entries"], used)
    else:
        found = _stt_results(parsed.value)
        if found is not None:
            _read_stt(parsed, builder, *found, used)
    add_mirrors(builder, parsed, used, _MIRROR_KEYS)


def _is_ccai(value: Any) -> bool:
    entries = value.get("entries") if isinstance(value, dict) else None
    if not isinstance(entries, list) or not entries or not isinstance(entries[0], dict):
        return False
    entry = entries[0]
    return "text" in entry and ("role" in entry or "user_id" in entry)


def _stt_results(value: Any) -> tuple[str, list[Any]] | None:
    """(pointer, results) of a Speech-to-Text response, unwrapping a finished operation."""
    pointer = ""
    if isinstance(value, dict) and isinstance(value.get("response"), dict):
        value, pointer = value["response"], "/response"
    results = value.get("results") if isinstance(value, dict) else None
    if not isinstance(results, list) or not results:
        return None
    head = results[0]
    if isinstance(head, dict) and isinstance(head.get("alternatives"), list):
        return f"{pointer}/results", results
    return None


def _read_stt(
    parsed: ParsedJson, builder: DocumentBuilder, pointer: str, results: list[Any], used: set[str]
) -> None:
    turns: list[tuple[int, list[Word], dict[str, Any]]] = []
    for index, result in enumerate(results):
        alternative = first(result.get("alternatives")) if isinstance(result, dict) else None
        if isinstance(alternative, dict):
            where = f"{pointer}/{index}/alternatives/0"
            channel = label(_get(result, "channelTag", "channel_tag"), "ch_")
            turns.append((index, _words(parsed, f"{where}/words", alternative, channel), result))
    diarized = [turn for turn in turns if any(_has_speaker(w) for w in turn[1])]
    for index, words, result in diarized or turns:
        if words:
            add_words(builder, words, used)
            continue
        alternative = first(result.get("alternatives"))
        end = _duration(_get(result, "resultEndTime", "resultEndOffset", "result_end_time"))
        where = f"{pointer}/{index}/alternatives/0/transcript"
        add_text(builder, parsed, where, alternative.get("transcript"), used, end=end)


def _has_speaker(word: Word) -> bool:
    return word.speaker is not None and not word.speaker.startswith("ch_")


def _words(
    parsed: ParsedJson, pointer: str, alternative: dict[str, Any], channel: str | None
) -> list[Word]:
    found: list[Word] = []
    words = alternative.get("words")
    for index, item in enumerate(words if isinstance(words, list) else []):
        if not isinstance(item, dict):
            continue
        tag = _get(item, "speakerTag", "speaker_tag")  # 0 is protobuf's "not set"
        speaker = label(_get(item, "speakerLabel", "speaker_label")) or label(tag or None)
        word = make_word(
            parsed,
            f"{pointer}/{index}/word",
            item.get("word"),
            start=_duration(_get(item, *_START_KEYS)),
            end=_duration(_get(item, *_END_KEYS)),
            speaker=speaker or channel,
        )
        if word is not None:
            found.append(word)
    return found


def _get(item: dict[str, Any], *keys: str) -> Any:
    """The first of `keys` present: Google clients emit camelCase or snake_case."""
    for key in keys:
        if key in item:
            return item[key]
    return None


def _duration(value: Any) -> float | None:
    """A protobuf Duration as seconds: "1.500s", or {"seconds": "1", "nanos": 500000000}."""
    if isinstance(value, dict):
        whole, nanos = seconds(value.get("seconds", 0)), seconds(value.get("nanos", 0))
        return whole + nanos / 1e9 if whole is not None and nanos is not None else None
    return seconds(value)


def _read_ccai(
    parsed: ParsedJson, builder: DocumentBuilder, entries: list[Any], used: set[str]
) -> None:
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        speaker = label(entry.get("role")) or label(entry.get("user_id"), "user_")
        usec = seconds(entry.get("start_timestamp_usec"))  # int64: a number or a string
        start = usec / 1e6 if usec is not None and usec < _MAX_OFFSET_USEC else None
        where = f"/entries/{index}/text"
        add_text(builder, parsed, where, entry.get("text"), used, speaker=speaker, start=start)
