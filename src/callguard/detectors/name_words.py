"""Reading a name where the conversation says one is: one to four words, by case or by ASR.

`callguard.detectors.name_slots` finds the places a name is stated ("my name is …", the answer
to "what's your last name?"); this module reads the name there. A name's words are separated
by single spaces, so a name never crosses a line.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_])){0,40}\.?")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PARTICLES = _words("van von der den de del della di da dos du la le ten ter bin al el")
# Capitalised words that fill a name slot without being a name ("Name: Unknown").
_NOT_NAMES = _words(
    "the a an and or but not no none unknown same is was it this that yes okay ok sorry please na"
)
# What may follow a name: punctuation, the end of the line, or a word that ends the phrase.
END = re.compile(
    r"[ \t]{0,2}(?:[,.!?;:)\"]|$|(?:and|but|calling|speaking|here|from|with|i|i['’]m|on the)\b)",
    re.IGNORECASE | re.MULTILINE,
)


def read_name(
    text: str, start: int, end: int, quiet: frozenset[str], *, lower: bool, strict: bool = False
) -> tuple[int, int] | None:
    """The span of one to four name words at `start` (before `end`), or None.

    Capitalised words (with initials and inner particles) make a name by their case; `strict`
    rejects quiet ones too ("Thanks Visa"), otherwise only words that fill a slot without
    being a name ("Name: Unknown"). Lower-case words (`lower`) must not be `quiet` words and
    the phrase must end right after them.
    """
    words: list[re.Match[str]] = []
    position = start
    while len(words) < 4:
        found = _WORD.match(text, position, end)
        if found is None:
            break
        words.append(found)
        if text[found.end() : found.end() + 1] != " ":
            break
        position = found.end() + 1
    if not words:
        return None
    if words[0].group()[0].isupper():
        run = _cased_run(words, quiet if strict else _NOT_NAMES)
    elif lower:
        run = _lower_run(text, words, quiet)
    else:
        return None
    return (run[0].start(), _stop(run[-1])) if run else None


def _cased_run(words: list[re.Match[str]], not_names: frozenset[str]) -> list[re.Match[str]]:
    """The leading capitalised words, initials and inner particles ("Willemine ten Pas")."""
    run: list[re.Match[str]] = []
    for word in words:
        value = word.group()
        if value.rstrip(".").casefold() in not_names and len(value.rstrip(".")) > 1:
            break
        if not (value[0].isupper() or value.casefold() in _PARTICLES):
            break
        run.append(word)
        if value.endswith(".") and len(value) > 2:
            break  # a full stop after a word ends the sentence
    while run and run[-1].group().casefold() in _PARTICLES:
        run.pop()
    return run


def _lower_run(text: str, words: list[re.Match[str]], quiet: frozenset[str]) -> list[re.Match[str]]:
    """Lower-case words are a name only if none is quiet and the phrase ends right after.

    Single letters are spelling ("s m i t h", HIPAA035's), not a lower-case name.
    """
    size = 0
    while size < len(words) and not _is_quiet_lower(words[size].group(), quiet):
        size += 1
    for length in range(size, 0, -1):
        if END.match(text, _stop(words[length - 1])):
            return words[:length]
    return []


def _is_quiet_lower(word: str, quiet: frozenset[str]) -> bool:
    bare = word.rstrip(".").casefold()
    if len(bare) < 2:
        return not word.endswith(".")  # an initial ("t.") is part of a name, a letter is not
    return bare in quiet


def _stop(word: re.Match[str]) -> int:
    """A word's end without a sentence full stop; an initial keeps its dot ("M.")."""
    value = word.group()
    return word.end() - 1 if value.endswith(".") and len(value) > 2 else word.end()
