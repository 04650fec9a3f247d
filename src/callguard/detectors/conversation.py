"""Conversation context: a question in one turn gives the next turn's answer its meaning.

"What's your date of birth?" makes the customer's next date a birth date; "and your social?"
makes the next nine digits a Social Security number; "can you spell your last name?" makes
the letters that follow a name. A cue said by the customer ("my member ID is ...") works the
same way inside its own turn. Rules here are `detector:` rules whose YAML options list the cue
phrases (regex fragments, case-insensitive) and what the answer must look like.

A Document with turns (chat messages, transcript utterances) is followed turn by turn; one
without turns (`Scanner.scan_text`) is read line by line, a leading `Name:` naming the speaker.
Spoken digit runs come from `callguard.detectors.spoken.digit_runs` (shared with the spoken
card rule); identifiers mixing letters and digits and spelled names are read at the end of
this module.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from callguard.detectors.spoken import digit_runs
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.named import DetectorFactory
from callguard.rule import Match, Rule

_LABEL = re.compile(
    r"[ \t]{0,8}(?:\[[^\]\n]{1,40}\][ \t]{1,4})?([A-Za-z][\w .'-]{0,30}?)[ \t]{0,4}[:>]"
)
_BACKCHANNEL = re.compile(
    r"(?:\W{0,3}(?:ok(?:ay)?|uh[- ]?huh|mhm+|mm+|hmm+|yes|yeah|yep|right|sure|got it|go ahead|"
    r"go on|thanks?|thank you|alright|all right|perfect|great|and|um+|uh+|correct)\W{0,3}){1,4}",
    re.IGNORECASE,
)
_FOLLOWING_TURNS = 4


@dataclass(frozen=True)
class Utterance:
    """One turn (or, without turns, one line) in analysis-text coordinates."""

    start: int
    end: int
    speaker: str | None


def utterances(document: Document) -> list[Utterance]:
    """The document's turns, or its lines when it has none (a leading `Name:` is the speaker)."""
    turns = [turn for turn in document.turns if not turn.mirror] or document.turns
    if turns:
        return [Utterance(turn.start, turn.end, turn.speaker) for turn in turns]
    lines: list[Utterance] = []
    position = 0
    for line in document.text.split("\n"):
        label = _LABEL.match(line)
        speaker = label.group(1).strip().lower() if label else None
        lines.append(Utterance(position, position + len(line), speaker))
        position += len(line) + 1
    return lines


def answer_regions(
    document: Document,
    turns: Sequence[Utterance],
    cue_end: int,
    *,
    reach: int = 160,
    starts: Sequence[int] | None = None,
) -> list[tuple[int, int]]:
    """Where the answer to a cue ending at `cue_end` can be, in the order it would be said.

    First the rest of the cue's own turn; then the following turns of the other speakers,
    skipping backchannels ("okay", "uh huh") of the cue's speaker. A new question from the cue's
    speaker ends the exchange. A cue that is not a question ("my member ID is") may continue in
    the speaker's own next turn. Each region is at most `reach` characters long.
    """
    if starts is None:
        starts = [turn.start for turn in turns]
    index = bisect.bisect_right(starts, cue_end) - 1
    if index < 0 or turns[index].end < cue_end:
        return [(cue_end, min(len(document.text), cue_end + reach))]
    own = turns[index]
    regions = [(cue_end, min(own.end, cue_end + reach))]
    is_question = "?" in document.text[cue_end : own.end]
    for turn in turns[index + 1 : index + 1 + _FOLLOWING_TURNS]:
        same = own.speaker is not None and turn.speaker == own.speaker
        body = document.text[turn.start : turn.end]
        if same and is_backchannel(body):
            continue
        if same and is_question:
            break
        regions.append((turn.start, min(turn.end, turn.start + reach)))
    return regions


def is_backchannel(turn_text: str) -> bool:
    """True for a turn that only acknowledges ("okay", "uh huh, go on"), after its label."""
    label = _LABEL.match(turn_text)
    body = turn_text[label.end() :] if label else turn_text
    return not body.strip() or _BACKCHANNEL.fullmatch(body.strip()) is not None


def compile_cues(options: Mapping[str, Any]) -> re.Pattern[str]:
    """One case-insensitive regex of the rule's cue phrases (regex fragments, whole words)."""
    cues = options["cues"]
    if not isinstance(cues, list) or not cues or not all(isinstance(c, str) for c in cues):
        raise ValueError("`cues` must be a non-empty list of regex fragments")
    try:
        return re.compile(r"(?<!\w)(?:" + "|".join(cues) + r")(?!\w)", re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"a cue is not a valid regex: {exc}") from None


def merge_spans(spans: Sequence[tuple[int, int]], text: str) -> tuple[tuple[int, int], ...]:
    """Join spans separated only by separators and fillers into one; keep gaps across turns."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and is_filler_gap(text[merged[-1][1] : start]):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


class CueRule:
    """Shared part of the cue-driven rules: metadata, cue regex, turns."""

    def __init__(self, meta: RuleMeta, options: Mapping[str, Any]) -> None:
        self._meta = meta
        self._cues = compile_cues(options)
        self._reach = int(options.get("reach", 160))

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._meta.id})"

    def scan(self, document: Document) -> Iterator[Match]:
        if not self._cues.search(document.text):
            return
        turns = utterances(document)
        starts = [turn.start for turn in turns]
        used: set[tuple[tuple[int, int], ...]] = set()
        for cue in self._cues.finditer(document.text):
            regions = answer_regions(document, turns, cue.end(), reach=self._reach, starts=starts)
            match = self._answer(document.text, regions)
            if match is not None and match.spans not in used:
                used.add(match.spans)
                yield match

    def _answer(self, text: str, regions: list[tuple[int, int]]) -> Match | None:
        raise NotImplementedError


class DigitsAnswer(CueRule):
    """A number of given lengths said after a cue, in digits or words, possibly over turns."""

    def __init__(self, meta: RuleMeta, options: Mapping[str, Any]) -> None:
        super().__init__(meta, options)
        self._lengths = frozenset(int(n) for n in options["lengths"])
        name = options.get("validate")
        self._validate = _validator(str(name)) if name else None

    def _answer(self, text: str, regions: list[tuple[int, int]]) -> Match | None:
        runs = [run for start, end in regions for run in digit_runs(text, start, end)]
        longest = max(self._lengths)
        for first in range(min(len(runs), 3)):
            digits, spans = "", list[tuple[int, int]]()
            for run in runs[first:]:
                if len(digits) + len(run.digits) > longest:
                    break
                digits += run.digits
                spans.extend(run.spans)
            if len(digits) in self._lengths and (self._validate is None or self._validate(digits)):
                return self._match(text, digits, spans)
        return None

    def _match(self, text: str, value: str, spans: Sequence[tuple[int, int]]) -> Match:
        return Match(self._meta.id, self._meta.confidence, value, merge_spans(spans, text))


class IdAnswer(DigitsAnswer):
    """An identifier (letters and digits, written or spelled out) said after a cue."""

    def __init__(self, meta: RuleMeta, options: Mapping[str, Any]) -> None:
        options = {"lengths": [0], **options}
        super().__init__(meta, options)
        self._min = int(options.get("min_length", 5))
        self._max = int(options.get("max_length", 20))
        excluded = options.get("exclude")
        self._exclude = _validator(str(excluded)) if excluded else None

    def _answer(self, text: str, regions: list[tuple[int, int]]) -> Match | None:
        for start, end in regions:
            for value, spans in id_runs(text, start, end):
                if not self._min <= len(value) <= self._max or not any(c.isdigit() for c in value):
                    continue
                if self._exclude is not None and self._exclude(value):
                    continue
                if self._validate is None or self._validate(value):
                    return self._match(text, value, spans)
        return None


class SpelledAnswer(DigitsAnswer):
    """Letters spelled out after a cue ("s m i t h", "S as in Sam, M, I, T, H")."""

    def __init__(self, meta: RuleMeta, options: Mapping[str, Any]) -> None:
        super().__init__(meta, {"lengths": [0], **options})
        self._min = int(options.get("min_length", 2))

    def _answer(self, text: str, regions: list[tuple[int, int]]) -> Match | None:
        for start, end in regions:
            for letters, spans in spelled_runs(text, start, end):
                if len(letters) >= self._min:
                    return self._match(text, letters, spans)
        return None


def _validator(name: str) -> Callable[[str], bool]:
    """A named validator from any code module (looked up lazily: the tables are merged later)."""
    from callguard.named import named_code

    return named_code().validators[name]


def _factory(cls: type[DigitsAnswer]) -> DetectorFactory:
    def build(meta: RuleMeta, options: Mapping[str, Any]) -> Rule:
        return cls(meta, options)

    return build


DETECTORS: dict[str, DetectorFactory] = {
    "digits_answer": _factory(DigitsAnswer),
    "id_answer": _factory(IdAnswer),
    "spelled_answer": _factory(SpelledAnswer),
}


# -- identifiers and spelled letters ----------------------------------------------


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
_PHONETIC = re.compile(r"[\s,]{1,3}(?:as in|like|for)\s{1,3}[A-Za-z]{2,20}(?:-[a-z]{2,10})?")

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
