"""The quick read-back: the output's Document carried over instead of read again, when safe.

Every redacted output is scanned again before it is written (see `core.py`). Reading it again
costs as much as reading the input: for a speech-to-text JSON file, nine tenths of a scan is
the position-keeping JSON parse, and re-scanning only the edited neighbourhoods cannot save
that. So for the formats below the output's Document is carried over from the input's
(`patch.py`), at a fraction of the cost, once this module has checked everything the format's
reader decides from text that an edit could have changed:

* `text`: which lines are turns and who speaks (a redacted speaker label, or a line that now
  starts like `[CREDIT_CARD] Agent:`), and the format itself if an edit lies in the head that
  formats are detected from (a redacted first line could start like JSON or an INI section).
* speech-to-text JSON (AWS Transcribe, Deepgram, AssemblyAI, Whisper, Google STT): the output
  must be JSON still (no replacement holds a character a string must escape). Edits lie
  inside string values, so keys, lists, numbers, times and speaker labels (never scanned text
  in these formats) are as they were, and so is the format, which is told from structure.
  Readers trim words and treat a one-word mirror string apart, so an edited string must keep
  its spacing: no surrounding space gained, no inner space gained or lost.

The carried Document's `focus` is where the replacements now lie, and each rule that says how
far it reaches (`callguard.focus.Reach`) reads only the lines within that reach of them.
Elsewhere the output is the input, whose findings were all redacted, so a value found there now
was found there before: only a value an edit touches or completes (a mask joining two halves
of a spoken number, a writer leaving a digit behind, an answer moved up behind its prompt) is
new, and it starts within reach of the edit. Rules still read context anywhere in the text;
a rule that does not say its reach reads everything.

Chat formats are not carried over (an author is a string that may be redacted, and the
speakers would change), nor captions (entity escapes), configs, or huge files read in
windows: they, and any doubt, get the full reading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from callguard.document import Document
from callguard.formats import CONFIG_FORMATS, FormatOptions, is_plain_text
from callguard.formats.text import TURN_LINE
from callguard.redaction.moves import Shift
from callguard.redaction.patch import Patched, Span, patch_document
from callguard.redaction.pieces import Edit

WORD_FORMATS = frozenset({"aws-transcribe", "deepgram", "assemblyai", "whisper", "google-stt"})
CARRIED_FORMATS = WORD_FORMATS | {"text"}
# As long as the longest head a format is detected from (config files 16 KiB, IaC 8 KiB,
# JSON 256 characters, captions their first lines); tests/redaction keep it so.
DETECTION_HEAD = 16384
# What a JSON string body cannot hold as it is (RFC 8259, section 7).
_JSON_UNESCAPED = re.compile(r'["\\\x00-\x1f]')


def carried_over(
    path: str,
    documents: Sequence[Document],
    edits: Sequence[Edit],
    spans: Sequence[Span],
    new_raw: str,
    options: FormatOptions,
) -> Document | None:
    """The Document reading `new_raw` would give, without reading it; None if unsure.

    `documents` were read from the text the `edits` were made to; `spans` are where each
    replacement landed in `new_raw`. Its `focus` is where the replacements now lie.
    """
    if len(documents) != 1:
        return None
    document = documents[0]
    whole_file = document.raw_origin == (0, 1, 1) and document.owned_span is None
    if document.format not in CARRIED_FORMATS or not whole_file:
        return None
    patched = patch_document(document, edits, spans, new_raw)
    if patched is None:
        return None
    if document.format == "text":
        same = _same_text_reading(path, document, patched, new_raw, options)
    else:
        same = _same_word_reading(path, document, patched, new_raw, spans)
    if not same:
        return None
    patched.document.focus = _replaced(patched)
    return patched.document


def _same_text_reading(
    path: str, document: Document, patched: Patched, new_raw: str, options: FormatOptions
) -> bool:
    """Still plain text in one piece, with the same turn lines and speaker labels."""
    if len(new_raw) > options.window_chars:
        return False  # it would be read in windows now
    changes = patched.changes
    head_edited = bool(changes) and changes[0].start < DETECTION_HEAD
    if head_edited and not is_plain_text(path, new_raw[:DETECTION_HEAD]):
        return False
    old, new = document.text, patched.document.text
    shift = Shift([(change.start, change.end, len(change.text)) for change in changes])
    checked = -1  # the last line checked: a line holding several edits is checked once
    for change in changes:
        line = old.rfind("\n", 0, change.start) + 1
        if line == checked:
            continue
        checked = line
        after = TURN_LINE.match(new, shift.position(line))
        if not _same_turn_line(TURN_LINE.match(old, line), after):
            return False
    return True


def _same_turn_line(before: re.Match[str] | None, after: re.Match[str] | None) -> bool:
    """Both lines are no turn, or turns with the same label, indent and place in the line."""
    if before is None or after is None:
        return before is after
    return (before["label"], before["indent"], before.start("indent") - before.start()) == (
        after["label"],
        after["indent"],
        after.start("indent") - after.start(),
    )


def _same_word_reading(
    path: str, document: Document, patched: Patched, new_raw: str, spans: Sequence[Span]
) -> bool:
    """Valid JSON still, not taken for a config file, every edited string spaced as before.

    The input parsed, and `patch_document` placed every replacement inside one string's
    body, between two whole characters of it, with no backslash in it: so the output is
    valid JSON exactly when no replacement holds what a JSON string must escape (a quote or
    a control character), which a writer that forgot to escape would leave. That is checked
    on the replacements alone: parsing the output again cost a tenth of the read-back of a
    long transcript."""
    if any(_JSON_UNESCAPED.search(new_raw, start, end) for start, end in spans):
        return False
    if any(module.detect(path, new_raw) for module in CONFIG_FORMATS):
        return False
    for change in patched.changes:
        was = _segment_text(document, change.segment)
        now = _segment_text(patched.document, change.segment)
        if not now or now != now.strip() or was != was.strip() or (" " in was) != (" " in now):
            return False
    return True


def _segment_text(document: Document, index: int) -> str:
    segment = document.segments[index]
    return document.text[segment.start : segment.end]


def _replaced(patched: Patched) -> tuple[Span, ...]:
    """Where each replacement lies in the carried Document's text."""
    spans: list[Span] = []
    growth = 0
    for change in patched.changes:
        start = change.start + growth
        spans.append((start, start + len(change.text)))
        growth += change.growth
    return tuple(spans)
