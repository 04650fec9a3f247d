"""Identifiers and names said piece by piece: "XYZ 123 456", "W as in William, two four six",
"S as in Sam, M, I, T, H", "double L".

Speech recognition writes an identifier read aloud as single letters, number words and
phonetic spellings, with fillers and ASR commas between them. `id_runs` and `spelled_runs`
join such pieces back into one value and keep the span of every piece, so a finding (and a
redaction) covers exactly the words that said it. The conversation rules
(`callguard.detectors.conversation`) read an answer with them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from callguard.detectors.cues import longest_match

_UNITS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4"}
_UNITS |= {"five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_TEEN_WORDS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_TEENS = {word: str(10 + i) for i, word in enumerate(_TEEN_WORDS.split())}
_TENS = {word: str(i + 2) for i, word in enumerate(_TENS_WORDS.split())}
_REPEAT = {"double": 2, "triple": 3}
_FILLERS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm"})
_TOKEN = re.compile(r"[A-Za-z]{1,20}(?:'[A-Za-z]{1,3})?|\d{1,20}")
_FILLER_GAP = re.compile(
    r"(?:[\s,.\-/()]|(?<![A-Za-z])(?:um+|uh+|er|erm|ah)(?![A-Za-z])){0,40}", re.I
)
# "S as in Sam": the phonetic word belongs to the letter's span. Within the letter's line, so
# an answer read up to a line's end takes nothing from the next line (see
# `conversation.answer_regions`); PHONETIC_CHARS is its longest match.
_PHONETIC = re.compile(r"[ \t,]{1,3}(?:as in|like|for)[ \t]{1,3}[A-Za-z]{2,20}(?:-[a-z]{2,10})?")
PHONETIC_CHARS = longest_match(_PHONETIC)

Token = tuple[str, int, int]


def is_filler_gap(gap: str) -> bool:
    """True if `gap` holds only separators and fillers ("um", "uh")."""
    return _FILLER_GAP.fullmatch(gap) is not None


def _tokens(text: str, start: int, end: int) -> list[Token]:
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def _number_at(tokens: list[Token], i: int) -> tuple[str, int]:
    """(digits, tokens consumed) for a number at tokens[i]; ("", 0) if none starts there."""
    word = tokens[i][0]
    following = tokens[i + 1][0] if i + 1 < len(tokens) else ""
    if word.isdigit():
        return word, 1
    if word in ("oh", "o") and _is_word(tokens, i + 1):
        return "", 0  # "oh" before a word, or at the end, is an interjection
    if word in _UNITS:
        return _UNITS[word], 1
    if word in _TEENS:
        return _TEENS[word], 1
    if word in _TENS:
        if following in _UNITS and _UNITS[following] != "0":
            return _TENS[word] + _UNITS[following], 2
        return _TENS[word] + "0", 1
    if word in _REPEAT and following in _UNITS:
        return _UNITS[following] * _REPEAT[word], 2
    if word == "hundred" and i > 0 and tokens[i - 1][0] in _UNITS:
        return "00", 1
    return "", 0


Piece = tuple[str, int, int]  # (characters, tokens consumed, span end)
Runs = Iterator[tuple[str, tuple[tuple[int, int], ...]]]


def _runs(text: str, tokens: list[Token], piece_at: Callable[[int], Piece]) -> Runs:
    """Group consecutive pieces (letters, digits) separated only by separators and fillers."""
    value, i = "", 0
    spans: list[tuple[int, int]] = []
    while i <= len(tokens):
        piece, used, stop = piece_at(i) if i < len(tokens) else ("", 0, 0)
        joined = not spans or is_filler_gap(text[spans[-1][1] : tokens[i][1]]) if piece else False
        if piece and joined:
            value += piece
            spans.append((tokens[i][1], stop))
            while i + used < len(tokens) and tokens[i + used][2] <= stop:
                used += 1
            i += used
            continue
        if value:
            yield value, merge_spans(spans, text)
        value, spans = "", []
        if not piece:
            i += 1


def spelled_runs(text: str, start: int, end: int) -> Runs:
    """Letters spelled one by one: "s m i t h", "S as in Sam, M, I, T, H", "double L"."""
    tokens = [token for token in _tokens(text, start, end) if token[0] not in _FILLERS]

    def letter_at(i: int) -> Piece:
        word, _, stop = tokens[i]
        if word in _REPEAT and i + 1 < len(tokens) and len(tokens[i + 1][0]) == 1:
            return tokens[i + 1][0].upper() * _REPEAT[word], 2, tokens[i + 1][2]
        if len(word) != 1:
            return "", 0, 0
        phonetic = _PHONETIC.match(text, stop)
        return word.upper(), 1, phonetic.end() if phonetic else stop

    yield from _runs(text, tokens, letter_at)


_ID_TOKEN = re.compile(r"[A-Za-z0-9]{1,24}(?:'[A-Za-z]{1,3})?")
_MIXED = re.compile(r"(?=[A-Za-z]{0,23}\d)[A-Za-z0-9]{2,24}")
_UPPER_GROUP = re.compile(r"[A-Z]{2,4}")


def id_runs(text: str, start: int, end: int) -> Runs:
    """Identifiers said or written in pieces: "XYZ 123 456", "W as in William, one two three"."""
    tokens = [
        (m.group(), m.start(), m.end())
        for m in _ID_TOKEN.finditer(text, start, end)
        if m.group().lower() not in _FILLERS
    ]
    lowered = [(word.lower(), begin, stop) for word, begin, stop in tokens]

    def piece_at(i: int) -> Piece:
        word, _, stop = tokens[i]
        if _MIXED.fullmatch(word) or _UPPER_GROUP.fullmatch(word):
            return word.upper(), 1, stop
        digits, used = _number_at(lowered, i)
        if digits:
            return digits, used, tokens[i + used - 1][2]
        if len(word) == 1 and word not in ("a", "I"):
            phonetic = _PHONETIC.match(text, stop)
            return word.upper(), 1, phonetic.end() if phonetic else stop
        return "", 0, 0

    yield from _runs(text, tokens, piece_at)


def _is_word(tokens: list[Token], i: int) -> bool:
    """True unless tokens[i] is a digit, a digit word or a single letter ("oh" before a word)."""
    if i >= len(tokens):
        return True
    word = tokens[i][0]
    return not (word.isdigit() or word in _UNITS or word in _TEENS or word in _TENS)


def merge_spans(spans: Sequence[tuple[int, int]], text: str) -> tuple[tuple[int, int], ...]:
    """Join spans separated only by separators and fillers into one; keep gaps across turns."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and is_filler_gap(text[merged[-1][1] : start]):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)
