"""AWS Transcribe output: batch job results and streaming result events.

The conversation is built from the word items, not from `results.transcripts`, so every word
keeps its own raw place (`/results/items/<i>/alternatives/0/content`), audio time and speaker,
and a card number read out over several items maps back to each of them. Punctuation items join
the word before them. The speaker is the item's `speaker_label`, else its `channel_label`, else
the `speaker_labels.segments[]` entry covering its start time; a new turn starts whenever it
changes. When `results.items` is missing, the per-channel lists under `channel_labels` are used,
interleaved by time.

The transcript strings (and any other copy of the words) are scanned afterwards as mirrors:
AWS sample outputs elide items, and a redacted file must not keep the number in the summary.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from callguard.document import DocumentBuilder
from callguard.formats.jsonpos import ParsedJson, pointer_join
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

FORMAT_NAME = "aws-transcribe"

_MIRROR_KEYS = frozenset({"transcript", "content", "Transcript", "Content"})
_STREAM_WRAPPERS = ("TranscriptResultStream", "TranscriptEvent", "Transcript")

SpeakerAt = Callable[[float | None], str | None]


def matches(value: Any) -> bool:
    """A batch job (`results` object with items/transcripts) or streaming result event(s)."""
    if isinstance(value, list):
        return bool(value) and isinstance(value[0], dict) and bool(_stream_results(value[0], ""))
    if not isinstance(value, dict):
        return False
    results = value.get("results")
    if isinstance(results, dict):
        return isinstance(results.get("items"), list) or (
            isinstance(results.get("transcripts"), list)
            or isinstance(results.get("channel_labels"), dict)
        )
    return bool(_stream_results(value, ""))


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    """Add the word items as speaker turns, then the transcript mirrors."""
    used: set[str] = set()
    value = parsed.value
    if isinstance(value, dict) and isinstance(value.get("results"), dict):
        _read_batch(parsed, builder, value["results"], used)
    else:
        events = value if isinstance(value, list) else [value]
        for index, event in enumerate(events):
            where = f"/{index}" if isinstance(value, list) else ""
            if isinstance(event, dict):
                for pointer, result in _stream_results(event, where):
                    _read_stream_result(parsed, builder, pointer, result, used)
    add_mirrors(builder, parsed, used, _MIRROR_KEYS)


def _read_batch(
    parsed: ParsedJson, builder: DocumentBuilder, results: dict[str, Any], used: set[str]
) -> None:
    speaker_at = _segment_speakers(results)
    items = results.get("items")
    if isinstance(items, list) and items:
        streams = [_item_words(parsed, "/results/items", items, speaker_at, None)]
    else:
        streams = []
        channels = (results.get("channel_labels") or {}).get("channels")
        for number, channel in enumerate(channels if isinstance(channels, list) else []):
            if isinstance(channel, dict) and isinstance(channel.get("items"), list):
                pointer = f"/results/channel_labels/channels/{number}/items"
                default = label(channel.get("channel_label"))
                streams.append(_item_words(parsed, pointer, channel["items"], speaker_at, default))
    if streams:
        add_words(builder, merge_by_start(streams), used)


def _item_words(
    parsed: ParsedJson,
    pointer: str,
    items: list[Any],
    speaker_at: SpeakerAt,
    default: str | None,
) -> list[Word]:
    """Words of one batch item list; punctuation items attach to the word before them."""
    words: list[Word] = []
    for index, item in enumerate(items):
        alternative = first(item.get("alternatives")) if isinstance(item, dict) else None
        if not isinstance(alternative, dict):
            continue
        start = seconds(item.get("start_time"))
        is_punctuation = item.get("type") == "punctuation"
        speaker = None
        if not is_punctuation:
            speaker = (
                label(item.get("speaker_label"))
                or label(item.get("channel_label"))
                or speaker_at(start)
                or default
            )
        word = make_word(
            parsed,
            f"{pointer}/{index}/alternatives/0/content",
            alternative.get("content"),
            start=start,
            end=seconds(item.get("end_time")),
            speaker=speaker,
            attach=is_punctuation,
        )
        if word is not None:
            words.append(word)
    return words


def _segment_speakers(results: dict[str, Any]) -> SpeakerAt:
    """Speaker lookup by time from `speaker_labels.segments[]`, for items without a label."""
    segments = (results.get("speaker_labels") or {}).get("segments")
    spans: list[tuple[float, str]] = []
    for segment in segments if isinstance(segments, list) else []:
        if isinstance(segment, dict):
            start, name = seconds(segment.get("start_time")), label(segment.get("speaker_label"))
            if start is not None and name is not None:
                spans.append((start, name))
    spans.sort()
    starts = [start for start, _ in spans]

    def speaker_at(time: float | None) -> str | None:
        if time is None:
            return None
        index = bisect.bisect_right(starts, time) - 1
        return spans[index][1] if index >= 0 else None

    return speaker_at


def _stream_results(event: dict[str, Any], pointer: str) -> list[tuple[str, dict[str, Any]]]:
    """The `Results[]` of one streaming event, however deeply it is wrapped, with pointers."""
    for key in _STREAM_WRAPPERS:
        inner = event.get(key)
        if isinstance(inner, dict):
            event, pointer = inner, pointer_join(pointer, key)
    results = event.get("Results")
    if not isinstance(results, list):
        return []
    found = [
        (f"{pointer}/Results/{index}", result)
        for index, result in enumerate(results)
        if isinstance(result, dict) and isinstance(result.get("Alternatives"), list)
    ]
    return found


def _read_stream_result(
    parsed: ParsedJson,
    builder: DocumentBuilder,
    pointer: str,
    result: dict[str, Any],
    used: set[str],
) -> None:
    """One streaming result (final or partial) is one turn, split if its speaker changes."""
    alternative = first(result.get("Alternatives"))
    if not isinstance(alternative, dict):
        return
    channel = label(result.get("ChannelId"))
    items = alternative.get("Items")
    words: list[Word] = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        is_punctuation = item.get("Type") == "punctuation"
        word = make_word(
            parsed,
            f"{pointer}/Alternatives/0/Items/{index}/Content",
            item.get("Content"),
            start=seconds(item.get("StartTime")),
            end=seconds(item.get("EndTime")),
            speaker=None if is_punctuation else label(item.get("Speaker")) or channel,
            attach=is_punctuation,
        )
        if word is not None:
            words.append(word)
    if words:
        add_words(builder, words, used)
        return
    add_text(
        builder,
        parsed,
        f"{pointer}/Alternatives/0/Transcript",
        alternative.get("Transcript"),
        used,
        speaker=channel,
        start=seconds(result.get("StartTime")),
        end=seconds(result.get("EndTime")),
    )
