"""AssemblyAI transcript responses (`GET /v2/transcript/{id}`).

Words are read from `utterances[].words[]` when the transcript has speaker labels (one turn per
utterance, speaker "A", "B", ...), else from the top-level `words[]`, split into turns where the
speaker or channel changes. Each word maps to its own `text` string; AssemblyAI times are
integer milliseconds and are converted to seconds. An utterance without words adds its `text`.

AssemblyAI redacts only `text` and the words: the full `text`, the other word list, summaries,
chapters, highlights and entity texts can still hold the value, so they are scanned afterwards as
mirrors.
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
    label,
    make_word,
    seconds,
)

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "assemblyai"

_MS = 1000
_MIRROR_KEYS = frozenset({"text", "summary", "headline", "gist"})


def matches(value: Any) -> bool:
    """An object with `utterances[]` or `words[]` whose items have `text` and `start`."""
    if not isinstance(value, dict) or "segments" in value:
        return False
    for key in ("utterances", "words"):
        items = value.get(key)
        if isinstance(items, list) and items:
            item = items[0]
            return isinstance(item, dict) and isinstance(item.get("text"), str) and "start" in item
    return False


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    """Add the words as speaker turns, then the mirrors."""
    value = parsed.value
    used: set[str] = set()
    utterances = value.get("utterances")
    if isinstance(utterances, list) and utterances:
        for index, utterance in enumerate(utterances):
            if isinstance(utterance, dict):
                _read_utterance(parsed, builder, f"/utterances/{index}", utterance, used)
    else:
        add_words(builder, _words(parsed, "/words", value.get("words"), None), used)
    add_mirrors(builder, parsed, used, _MIRROR_KEYS)


def _read_utterance(
    parsed: ParsedJson,
    builder: DocumentBuilder,
    pointer: str,
    utterance: dict[str, Any],
    used: set[str],
) -> None:
    speaker = _speaker(utterance)
    words = _words(parsed, f"{pointer}/words", utterance.get("words"), speaker)
    if words:
        add_words(builder, words, used)
        return
    add_text(
        builder,
        parsed,
        f"{pointer}/text",
        utterance.get("text"),
        used,
        speaker=speaker,
        start=seconds(utterance.get("start"), _MS),
        end=seconds(utterance.get("end"), _MS),
    )


def _speaker(item: dict[str, Any]) -> str | None:
    """The speaker label, else the channel (multichannel transcripts label channels instead)."""
    return label(item.get("speaker")) or label(item.get("channel"), "ch_")


def _words(parsed: ParsedJson, pointer: str, words: Any, default: str | None) -> list[Word]:
    found: list[Word] = []
    for index, item in enumerate(words if isinstance(words, list) else []):
        if not isinstance(item, dict):
            continue
        word = make_word(
            parsed,
            f"{pointer}/{index}/text",
            item.get("text"),
            start=seconds(item.get("start"), _MS),
            end=seconds(item.get("end"), _MS),
            speaker=_speaker(item) or default,
        )
        if word is not None:
            found.append(word)
    return found
