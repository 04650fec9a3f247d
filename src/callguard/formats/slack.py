"""Slack export: a day file is a list of messages; one turn per message, speaker = the user.

Slack writes each message as `{"type": "message", "user": ..., "text": ..., "ts": "1714557733.02"}`
with optional `user_profile`, `files`, `attachments` and `blocks`. Thread replies are ordinary
messages in the same list. The message text is the turn; every other string (the rich-text
`blocks` repeat the text, attachments and file titles add to it) is scanned after the
conversation like chat metadata, so a card number is found, and redacted, in every copy. `ts` is
a wall-clock time, not an audio offset, so turns carry no audio times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from callguard.document import DocumentBuilder
from callguard.formats.chat import add_rest, rest_strings
from callguard.formats.jsonpos import ParsedJson, pointer_join

if TYPE_CHECKING:
    from callguard.formats import FormatOptions

FORMAT_NAME = "slack"

_PROFILE_NAMES = ("real_name", "display_name", "name")
_NAME_FIELDS = ("user_name", "username", "user", "bot_id")
_TIME_FIELDS = ("ts", "thread_ts", "event_ts", "latest_reply", "last_read")


def matches(value: Any) -> bool:
    """A non-empty list, at least half of it `{"type": "message", "ts": "<string>"}` objects."""
    if not isinstance(value, list) or not value:
        return False
    hits = sum(1 for message in value if _is_message(message))
    return hits > 0 and hits * 2 >= len(value)


def read(parsed: ParsedJson, builder: DocumentBuilder, options: FormatOptions) -> None:
    """Add each message's text as a turn, then every other string, time stamps excepted."""
    taken: set[str] = set()
    for index, message in enumerate(parsed.value):
        if not _is_message(message):
            continue
        pointer = pointer_join("", index)
        taken.update(pointer_join(pointer, field) for field in _TIME_FIELDS)
        text_pointer = pointer_join(pointer, "text")
        raw = parsed.raw(text_pointer)
        if raw is not None and message["text"]:
            builder.start_turn(speaker=_user(message))
            builder.add(message["text"], raw, json_pointer=text_pointer)
            taken.add(text_pointer)
    add_rest(builder, list(rest_strings(parsed, taken)))


def _is_message(message: Any) -> bool:
    return (
        isinstance(message, dict)
        and message.get("type") == "message"
        and isinstance(message.get("ts"), str)
    )


def _user(message: dict[str, Any]) -> str | None:
    """The best name Slack recorded: the profile's real name, else the handle or user id."""
    profile = message.get("user_profile")
    if isinstance(profile, dict):
        for key in _PROFILE_NAMES:
            name = profile.get(key)
            if isinstance(name, str) and name:
                return name
    for key in _NAME_FIELDS:
        name = message.get(key)
        if isinstance(name, str) and name:
            return name
    return None
