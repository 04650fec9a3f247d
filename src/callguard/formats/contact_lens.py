"""Transcribe Call Analytics and Amazon Connect Contact Lens output (voice and chat).

Both put the conversation in a top-level `Transcript[]` list, one entry per utterance or chat
message, with the words in `Content`. Each entry becomes one turn whose one segment is that
`Content` string. The speaker is the entry's `ParticipantRole` (Call Analytics, chat), else the
role that `Participants[]` gives its `ParticipantId` (Contact Lens voice), else the id itself.
Voice turns carry audio times from `BeginOffsetMillis`/`EndOffsetMillis`; chat `AbsoluteTime`
is wall-clock time, not a position in a recording, so chat turns have none.

Chat EVENT entries (joins, leaves) usually have no `Content` and are skipped. Issue, outcome and
action-item `Text`, summaries and participant display names repeat or add personal text, so
they are scanned afterwards as mirrors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from callguard.document import DocumentBuilder
from callguard.formats.jsonpos import ParsedJson
from callguard.formats.words import add_mirrors, add_text, label, seconds

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "aws-call-analytics"
CHAT_FORMAT_NAME = "contact-lens-chat"

_MIRROR_KEYS = frozenset({"Content", "Text", "DisplayName"})
_TURN_KEYS = ("ParticipantId", "ParticipantRole")


def matches(value: Any) -> bool:
    """A top-level `Transcript` list whose first entry names its participant."""
    if not isinstance(value, dict):
        return False
    transcript = value.get("Transcript")
    if not isinstance(transcript, list) or not transcript:
        return False
    entry = transcript[0]
    return isinstance(entry, dict) and any(key in entry for key in _TURN_KEYS)


def format_name(value: Any) -> str:
    """`contact-lens-chat` for chat analysis output, `aws-call-analytics` for voice."""
    return CHAT_FORMAT_NAME if _is_chat(value) else FORMAT_NAME


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    """One turn per transcript entry, then the mirrors."""
    value = parsed.value
    roles = _participant_roles(value.get("Participants"))
    chat = _is_chat(value)
    used: set[str] = set()
    for index, entry in enumerate(value["Transcript"]):
        if not isinstance(entry, dict):
            continue
        participant = label(entry.get("ParticipantId"))
        speaker = label(entry.get("ParticipantRole")) or roles.get(participant or "", participant)
        add_text(
            builder,
            parsed,
            f"/Transcript/{index}/Content",
            entry.get("Content"),
            used,
            speaker=speaker,
            start=None if chat else seconds(entry.get("BeginOffsetMillis"), 1000),
            end=None if chat else seconds(entry.get("EndOffsetMillis"), 1000),
        )
    add_mirrors(builder, parsed, used, _MIRROR_KEYS)


def _is_chat(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    if value.get("Channel") == "CHAT" or "ChatTranscriptVersion" in value:
        return True
    transcript = value.get("Transcript")
    entry = transcript[0] if isinstance(transcript, list) and transcript else None
    return isinstance(entry, dict) and "AbsoluteTime" in entry and "BeginOffsetMillis" not in entry


def _participant_roles(participants: Any) -> dict[str, str]:
    """ParticipantId -> ParticipantRole from the `Participants[]` list."""
    roles: dict[str, str] = {}
    for participant in participants if isinstance(participants, list) else []:
        if isinstance(participant, dict):
            key = label(participant.get("ParticipantId"))
            role = label(participant.get("ParticipantRole"))
            if key is not None and role is not None:
                roles[key] = role
    return roles
