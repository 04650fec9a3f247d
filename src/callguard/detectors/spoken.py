"""Digits said as words: the normaliser (`digit_runs`) and the spoken card rule (PCI002).

Callers read card numbers aloud, and speech-to-text writes what they say: "four one one one",
"forty one eleven", "double four", "4111 one one one one", often with ASR commas between groups
and fillers ("um", "sorry") in the middle. `digit_runs` turns such text back into digit runs,
keeping for every digit the analysis-text span of the word that said it, so a finding (and a
redaction) lands on the exact words and their audio times.

Reading rules, chosen to match how people say numbers on the phone, not how they write prose:
units (zero/oh/o/nought, one..nine) give one digit; teens give two ("nineteen" = 19); a tens word
gives two ("forty" = 40) or joins a following unit ("forty one" = 41); so "twenty twenty seven" is
2027 and "forty one eleven" 4111. "double"/"triple" repeat the next unit. "hundred" appends 00 to
the number word before it ("four hundred" = 400, "forty one hundred" = 4100) and the next teen,
tens or unit fills those places ("one hundred twenty three" = 123, "one hundred and five" = 105).
"thousand", ordinals and homophones ("for", "to") are not read: they end a run. A run continues
over spaces, hyphens, ASR commas and periods, and the fillers in `FILLERS`; it stops at any other
word, at "?", "!", ":" or "/" (times, dates, questions), and at a newline (a turn boundary). An
"oh"/"o" that starts a run and is set off by punctuation or a filler ("oh, four one") is an
interjection, not a zero.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from callguard.detectors.patterns import (
    CONTEXT_BOOST,
    NEGATIVE_CONTEXT_PENALTY,
    compile_words,
)
from callguard.detectors.validators import describe_card, is_card_number
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.named import DetectorFactory
from callguard.rule import Match

UNITS = {"zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3"}
UNITS |= {"four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
TEENS = {"ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14"}
TEENS |= {"fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19"}
TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5", "sixty": "6"}
TENS |= {"seventy": "7", "eighty": "8", "ninety": "9"}
REPEATS = {"double": 2, "triple": 3}
FILLERS = frozenset(
    (
        "um",
        "umm",
        "uh",
        "uhh",
        "uhm",
        "er",
        "erm",
        "ah",
        "hmm",
        "mhm",
        "sorry",
        "like",
        "okay",
        "ok",
        "so",
    )
)

_NUMBER_WORDS = sorted([*UNITS, *TEENS, *TENS, *REPEATS, "hundred"], key=len, reverse=True)
_WORD = "|".join(_NUMBER_WORDS)
_SPACE_CHARS = "\u00a0\u2026\u2013"  # no-break space, ellipsis, en dash (as characters: RE2)
_FILLER = "|".join(sorted(FILLERS, key=len, reverse=True))
# A number token; "hundred and" is one token so that "one hundred and five" stays one run.
_TOKEN = rf"(?:\b(?:hundred[ \t]{{1,4}}and|{_WORD})\b|[0-9]{{1,64}})"
_GAP = rf"(?:[ \t{_SPACE_CHARS},.;-]|\b(?:{_FILLER})\b){{1,24}}"
# A maximal run: number tokens separated by gaps (never a newline). Linear: gaps and tokens are
# disjoint, and every quantifier is bounded.
RUN = re.compile(rf"{_TOKEN}(?:{_GAP}{_TOKEN}){{0,400}}", re.IGNORECASE)
# Any number word (not a digit): the cheap test for "is there anything spoken here at all".
NUMBER_WORD = rf"(?i)\b(?:{_WORD})\b"
_PIECE = re.compile(r"[0-9]{1,64}|[a-zA-Z]{1,64}(?:[ \t]{1,4}and\b)?")
_NUMERAL = re.compile(r"[0-9]{1,64}")
_DIGITS_ONLY = re.compile(r"[^a-zA-Z]*")
_SAME_GROUP = re.compile(r"[ \t\u00a0\u2013-]*")

Span = tuple[int, int]


@dataclass(frozen=True)
class DigitRun:
    """A maximal run of digits said as words and/or numerals.

    `spans[i]` is the analysis-text span of the token that produced `digits[i]`; a token that
    says two digits ("twenty", "double four") gives both the same span.
    """

    digits: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class ParsedRun:
    """A DigitRun plus what the card rule needs: groups and whether any digit was a word.

    `groups` holds the index of the first digit of every group; groups are set apart by ASR
    punctuation or a filler, not by plain spaces ("four one one one, one one one one" is two).
    """

    run: DigitRun
    groups: tuple[int, ...]
    worded: bool

    @property
    def start(self) -> int:
        return self.run.spans[0][0]

    @property
    def end(self) -> int:
        return self.run.spans[-1][1]


def digit_runs(text: str, start: int = 0, end: int | None = None) -> list[DigitRun]:
    """Maximal runs of digits said as words and/or numerals within text[start:end]."""
    return [parsed.run for parsed in parse_runs(text, start, end)]


def parse_runs(text: str, start: int = 0, end: int | None = None) -> list[ParsedRun]:
    """Like `digit_runs`, with group boundaries and the worded flag (see ParsedRun)."""
    stop = len(text) if end is None else end
    runs: list[ParsedRun] = []
    for found in RUN.finditer(text, start, stop):
        runs.extend(_RunReader(text).read(found.start(), found.end()))
    return runs


class _RunReader:
    """Reads the tokens of one regex run into digits; a dangling word may split the run."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._runs: list[ParsedRun] = []
        self._reset()

    def _reset(self) -> None:
        self._digits: list[str] = []
        self._spans: list[Span] = []
        self._groups: list[int] = []
        self._worded = False
        self._last = ""  # kind of the previous token: unit, teen, tens, num, hundred, or ""
        self._repeat = 1
        self._repeat_start = -1
        self._previous_end = -1

    def read(self, start: int, end: int) -> list[ParsedRun]:
        text = self._text
        if _DIGITS_ONLY.fullmatch(text, start, end):
            return self._read_numerals(start, end)
        for token in _PIECE.finditer(text, start, end):
            begin = token.start()
            previous = self._previous_end
            if (
                previous >= 0
                and not (begin - previous == 1 and text[previous] == " ")
                and not _SAME_GROUP.fullmatch(text, previous, begin)
            ):
                self._break()
            self._token(token.group().lower(), token.span())
        self._flush()
        return self._runs

    def _read_numerals(self, start: int, end: int) -> list[ParsedRun]:
        """The fast path for a run of numerals only (timestamps, typed numbers): no words."""
        for token in _NUMERAL.finditer(self._text, start, end):
            previous = self._previous_end
            if previous >= 0 and not _SAME_GROUP.fullmatch(self._text, previous, token.start()):
                self._last = ""
            self._emit(token.group(), token.span(), "num")
            self._previous_end = token.end()
        self._flush()
        return self._runs

    def _token(self, word: str, span: Span) -> None:
        self._previous_end = span[1]
        if word.isdigit():
            self._emit(word, span, "num")
        elif word in FILLERS:
            self._break()
        elif word in REPEATS:
            self._repeat, self._repeat_start = REPEATS[word], span[0]
            return
        elif word.startswith("hundred"):
            if self._last in ("unit", "teen", "tens"):
                self._emit("00", span, "hundred")
        elif word in UNITS:
            self._unit(UNITS[word], span)
        elif word in TEENS:
            self._fill(TEENS[word], span, "teen")
        elif word in TENS:
            self._fill(TENS[word] + "0", span, "tens")
        self._repeat = 1

    def _unit(self, digit: str, span: Span) -> None:
        if self._repeat > 1:
            whole = (self._repeat_start, span[1])
            self._emit(digit * self._repeat, whole, "unit")
        elif self._last == "tens" and self._digits[-1] == "0":
            self._replace(1, digit, span, "unit")  # "forty one" = 41
        elif self._last == "hundred":
            self._replace(1, digit, span, "unit")  # "one hundred five" = 105
        else:
            self._emit(digit, span, "unit")

    def _fill(self, digits: str, span: Span, kind: str) -> None:
        if self._last == "hundred":
            self._replace(2, digits, (self._spans[-1][0], span[1]), kind)
        else:
            self._emit(digits, span, kind)

    def _emit(self, digits: str, span: Span, kind: str) -> None:
        if not self._digits or self._last == "":
            self._groups.append(len(self._digits))
        self._digits.extend(digits)
        self._spans.extend([span] * len(digits))
        self._worded = self._worded or kind != "num"
        self._last = kind

    def _replace(self, count: int, digits: str, span: Span, kind: str) -> None:
        head = len(self._digits) - count
        self._digits[head:] = list(digits)
        self._spans[head:] = [span] * count
        self._last = kind
        self._worded = True

    def _break(self) -> None:
        """A filler or punctuation: a new group begins; a lone leading "oh" was an interjection."""
        if len(self._groups) == 1 and len(self._digits) == 1 and self._is_oh(self._spans[0]):
            self._reset()
            return
        self._last, self._repeat = "", 1

    def _is_oh(self, span: Span) -> bool:
        return self._text[span[0] : span[1]].lower() in ("oh", "o")

    def _flush(self) -> None:
        if self._digits:
            run = DigitRun("".join(self._digits), tuple(self._spans))
            self._runs.append(ParsedRun(run, tuple(self._groups), self._worded))
        self._reset()


# -- PCI002: spoken, mixed and split card numbers ------------------------------------------------

_MIN_PAN, _MAX_PAN = 13, 19
# Where a number may start being said: a run of two or more number tokens with a word in it; a
# short line (label, a few words) that ends in digits, as when a chat user types a PAN in parts;
# or digit groups set apart by an ASR comma. Lookaround-free, so RE2 runs it in linear time.
_SEED = (
    rf"(?im)(?:[0-9]{{1,64}}{_GAP})?\b(?:{_WORD})\b(?:{_GAP}{_TOKEN})+"
    r"|^(?:[^\n:]{0,60}:[ \t]{1,4})?(?:[a-z']{1,12}[ \t,.]{1,3}){0,4}[0-9][0-9 \t.,;-]{2,40}$"
    r"|[0-9]{3}[ \t]{0,2}[,;][ \t]{1,2}[0-9]{3}"
)
_RUN_RE2 = rf"(?i){_TOKEN}(?:{_GAP}{_TOKEN})*"
_EMBED_BEFORE = frozenset("([{/\\$#:@-_+=")
_EMBED_AFTER = frozenset(")]}/\\:%@_")
_LETTER_WORD = re.compile(r"[A-Za-z]{1,64}")
_PCI001_SHAPE = re.compile(r"[0-9](?:[ .-]?[0-9])*")
_READBACK = re.compile(
    r"(?:\b(?:ending|ends|end)(?:[ \t]{1,4}(?:in|with))?"
    r"|\blast(?:[ \t]{1,4}(?:four|4|five|5|few))?"
    r"(?:[ \t]{1,4}(?:digits|numbers))?(?:[ \t]{1,4}(?:are|is|being))?)[ \t:,]{0,4}$",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"[ \t]{0,8}(?:[\[(][^\])\n]{1,40}[\])][ \t]{0,4})?(?P<label>[A-Za-z][\w'-]{0,30}"
    r"(?: [A-Za-z][\w'-]{0,30}){0,2})[ \t]{0,4}(?:[\[(][^\])\n]{1,40}[\])][ \t]{0,4})?[:>]"
)


@dataclass(frozen=True)
class SpokenCardOptions:
    """The PCI002 window and scoring, set under `options:` in the YAML (see docs)."""

    max_turns: int = 4  # turns of the speaker one number may be spread over
    max_other_turns: int = 3  # turns of anyone else between two pieces
    max_seconds: float = 30.0  # first piece's start to last piece's end, when times are known
    max_gap_chars: int = 200  # analysis characters between two pieces
    max_own_words: int = 6  # words of the speaker between two pieces ("yeah the next ones are")
    min_piece_digits: int = 3
    max_piece_digits: int = 12
    split_confidence: float = 0.5
    context_chars: int = 80
    context: tuple[str, ...] = ()
    negative_context: tuple[str, ...] = ()

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> SpokenCardOptions:
        """Options from YAML; an unknown key is a ValueError naming it."""
        unknown = sorted(set(options) - set(cls.__dataclass_fields__))
        if unknown:
            raise ValueError(f"unknown option(s): {', '.join(unknown)}")
        values: dict[str, Any] = {
            key: tuple(str(v) for v in value) if isinstance(value, list) else value
            for key, value in options.items()
        }
        return cls(**values)


@dataclass(frozen=True)
class _Piece:
    """A run of digits with the turn it was said in."""

    parsed: ParsedRun
    turn: tuple[str, int]  # identity of the turn (or line)
    ordinal: int  # position of that turn in the conversation
    bounds: Span  # the turn's (or line's) analysis-text span
    speaker: str | None
    mirror: bool
    start_time: float | None
    end_time: float | None

    @property
    def digits(self) -> str:
        return self.parsed.run.digits


class SpokenCardRule:
    """PCI002: card numbers said as words, mixed, or in pieces over a speaker's turns."""

    def __init__(self, meta: RuleMeta, options: SpokenCardOptions) -> None:
        self._meta = meta
        self._options = options
        self._context = compile_words(options.context)
        self._negative = compile_words(options.negative_context)
        self._seed = _Fast(_SEED, re.compile(_SEED))
        self._runs = _Fast(_RUN_RE2, RUN)

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    def __repr__(self) -> str:
        return f"SpokenCardRule({self._meta.id})"

    def scan(self, document: Document) -> Iterator[Match]:
        regions = self._regions(document.text)
        if regions:
            conversation = _Conversation(document)
            for start, end in regions:
                yield from self._scan_region(document, conversation, start, end)

    def _regions(self, text: str) -> list[Span]:
        """Lines holding a seed; when the seed ends its line, also the lines a split number may
        continue on (a caller pauses after a piece; a piece mid-sentence rarely starts a split)."""
        lookahead = self._options.max_turns * (self._options.max_gap_chars + 100)
        regions: list[Span] = []
        for hit_start, hit_end in self._seed.spans(text):
            line_end = _line_end(text, hit_end)
            stop = min(hit_end + lookahead, len(text)) if line_end - hit_end <= 60 else line_end
            if regions and hit_start < regions[-1][1]:
                regions[-1] = (regions[-1][0], max(regions[-1][1], stop))
                continue
            first = text.rfind("\n", max(0, hit_start - 400), hit_start) + 1
            regions.append((max(first, hit_start - 400), stop))
        return [(start, _line_end(text, end)) for start, end in regions]

    def _scan_region(
        self, document: Document, conversation: _Conversation, start: int, end: int
    ) -> Iterator[Match]:
        text = document.text
        runs = [
            run
            for found_start, found_end in self._runs.spans(text[start:end])
            for run in _RunReader(text).read(start + found_start, start + found_end)
        ]
        pieces: list[_Piece] = []
        primary: set[str] = set()
        for run in runs:
            single = None if _is_readback(text, run.start) else self._single(text, run)
            if single is not None:
                primary.add(single.value)
                yield single
            elif self._is_piece(text, run):
                pieces.append(conversation.place(run))
        splits = list(self._splits(text, pieces))
        primary.update(match.value for match, mirror in splits if not mirror)
        yield from (match for match, mirror in splits if not mirror or match.value in primary)

    def _single(self, text: str, run: ParsedRun) -> Match | None:
        """The first valid card number within one run that PCI001 would not already report."""
        digits = run.run.digits
        for low, high in _candidates(run):
            value = digits[low:high]
            if not is_card_number(value):
                continue
            spans = run.run.spans[low:high]
            worded = any(_has_letter(text, span) for span in set(spans))
            if not worded and _PCI001_SHAPE.fullmatch(text, spans[0][0], spans[-1][1]):
                return None  # digits written the way PCI001 reads them: its finding, not ours
            return self._match(text, value, _group_spans(text, spans), self._meta.confidence)
        return None

    def _is_piece(self, text: str, run: ParsedRun) -> bool:
        size = len(run.run.digits)
        if not self._options.min_piece_digits <= size <= self._options.max_piece_digits:
            return False
        before = text[run.start - 1] if run.start else " "
        after = text[run.end] if run.end < len(text) else " "
        if before in _EMBED_BEFORE or after in _EMBED_AFTER or before.isalnum() or after.isalnum():
            return False  # "(415) 555", "CPL-86102", "$249", "10:30", "04/27": not card digits
        return not _is_readback(text, run.start)

    def _splits(self, text: str, pieces: list[_Piece]) -> Iterator[tuple[Match, bool]]:
        """Consecutive pieces of one speaker that together form a valid card number."""
        by_voice: dict[object, list[_Piece]] = {}
        for piece in pieces:
            voice = piece.speaker if piece.speaker and not piece.mirror else piece.turn
            by_voice.setdefault(voice, []).append(piece)
        for sequence in by_voice.values():
            index = 0
            while index < len(sequence):
                combo = self._combo(text, sequence, index)
                if combo is None:
                    index += 1
                    continue
                index += len(combo)
                value = "".join(piece.digits for piece in combo)
                spans = [s for p in combo for s in _group_spans(text, p.parsed.run.spans)]
                confidence = self._options.split_confidence
                match = self._match(text, value, spans, confidence, parts=len(combo))
                yield match, combo[0].mirror

    def _combo(self, text: str, sequence: list[_Piece], index: int) -> list[_Piece] | None:
        """The shortest run of pieces from `index` that is a card number, within the window."""
        first = sequence[index]
        digits = first.digits
        for stop in range(index + 1, len(sequence)):
            if not self._is_near(text, sequence[index : stop + 1]):
                return None
            digits += sequence[stop].digits
            if len(digits) > _MAX_PAN:
                return None
            if len(digits) >= _MIN_PAN and is_card_number(digits):
                return sequence[index : stop + 1]
        return None

    def _is_near(self, text: str, combo: list[_Piece]) -> bool:
        """Within the window, and the speaker said little else between the two last pieces."""
        options = self._options
        previous, last = combo[-2], combo[-1]
        if last.parsed.start - previous.parsed.end > options.max_gap_chars:
            return False
        if previous.turn == last.turn:
            between = [(previous.parsed.end, last.parsed.start)]
        else:
            between = [
                (previous.parsed.end, previous.bounds[1]),
                (last.bounds[0], last.parsed.start),
            ]
        words = sum(len(_LETTER_WORD.findall(text, start, end)) for start, end in between)
        if words > options.max_own_words:
            return False
        if last.ordinal - previous.ordinal - 1 > options.max_other_turns:
            return False
        if len({piece.turn for piece in combo}) > options.max_turns:
            return False
        begin, finish = combo[0].start_time, last.end_time
        return begin is None or finish is None or finish - begin <= options.max_seconds

    def _match(
        self, text: str, value: str, spans: list[Span], base: float, parts: int = 1
    ) -> Match:
        start = spans[0][0]
        before = text[max(0, start - self._options.context_chars) : start]
        score = base
        if self._context and self._context.search(before):
            score += CONTEXT_BOOST
        if self._negative and self._negative.search(before):
            score -= NEGATIVE_CONTEXT_PENALTY
        detail = describe_card(value) + (f", said in {parts} parts" if parts > 1 else "")
        return Match(
            rule_id=self._meta.id,
            confidence=round(min(max(score, 0.0), 1.0), 2),
            value=value,
            spans=tuple(spans),
            detail=detail,
        )


class _Conversation:
    """Which turn, speaker and audio time each run belongs to; lines stand in for missing turns.

    Without turns (plain text scanned as one string) each line is a turn, and a leading label
    ("Customer:", "[10:02] Agent:") names its speaker; an unlabelled line has no speaker.
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self._turn_starts = [turn.start for turn in document.turns]
        self._newlines: list[int] | None = None

    def place(self, run: ParsedRun) -> _Piece:
        document, start = self._document, run.start
        begin, finish = self._times(run)
        index = bisect.bisect_right(self._turn_starts, start) - 1
        if index >= 0 and start <= document.turns[index].end:
            turn = document.turns[index]
            return _Piece(
                run,
                ("turn", index),
                index,
                (turn.start, turn.end),
                turn.speaker,
                turn.mirror,
                begin if begin is not None else turn.audio_start,
                finish if finish is not None else turn.audio_end,
            )
        newlines = self._newlines_list()
        line = self._line(start)
        line_start = newlines[line - 1] + 1 if line else 0
        line_end = newlines[line] if line < len(newlines) else len(document.text)
        speaker = None
        if not document.turns and (label := _LABEL.match(document.text, line_start)):
            speaker = label["label"].lower()
        bounds = (line_start, line_end)
        return _Piece(run, ("line", line), line, bounds, speaker, False, begin, finish)

    def _times(self, run: ParsedRun) -> tuple[float | None, float | None]:
        segments = self._document.segments_between(run.start, run.end)
        starts = [s.audio_start for s in segments if s.audio_start is not None]
        ends = [s.audio_end for s in segments if s.audio_end is not None]
        return (starts[0] if starts else None), (ends[-1] if ends else None)

    def _line(self, position: int) -> int:
        return bisect.bisect_left(self._newlines_list(), position)

    def _newlines_list(self) -> list[int]:
        if self._newlines is None:
            text = self._document.text
            self._newlines = [found.start() for found in re.finditer("\n", text)]
        return self._newlines


def _candidates(run: ParsedRun) -> Iterator[Span]:
    """The whole run; then runs of whole groups (leftmost, longest first); then, for one long
    ungrouped run, the run without a trailing 3- or 4-digit security code said straight after."""
    size = len(run.run.digits)
    yield 0, size
    bounds = list(zip(run.groups, (*run.groups[1:], size), strict=True))
    subruns: list[tuple[int, int, int]] = []
    for first in range(len(bounds)):
        for last in range(first, len(bounds)):
            low, high = bounds[first][0], bounds[last][1]
            if high - low > _MAX_PAN:
                break
            if high - low >= _MIN_PAN and (low, high) != (0, size):
                subruns.append((low, low - high, high))
    for low, _, high in sorted(subruns):
        yield low, high
    if len(bounds) == 1:
        for cut in (3, 4):
            if _MIN_PAN <= size - cut <= _MAX_PAN:
                yield 0, size - cut


def _group_spans(text: str, spans: tuple[Span, ...] | list[Span]) -> list[Span]:
    """One span per spoken group: word spans joined over spaces and hyphens only, so fillers and
    ASR punctuation between groups are not part of any location."""
    merged: list[Span] = []
    for span in dict.fromkeys(spans):
        if merged and _SAME_GROUP.fullmatch(text, merged[-1][1], span[0]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def _is_readback(text: str, start: int) -> bool:
    """ "ending in one one one one", "the last four are 4242": a read-back, not a number."""
    line_start = text.rfind("\n", max(0, start - 40), start) + 1
    return _READBACK.search(text, max(line_start, start - 40), start) is not None


def _has_letter(text: str, span: Span) -> bool:
    return not text[span[0] : span[1]].isdigit()


def _line_end(text: str, position: int) -> int:
    newline = text.find("\n", position, position + 400)
    return newline if newline >= 0 else min(len(text), position + 400)


class _Fast:
    """A regex compiled by RE2 (linear, fast on long texts), with `re` as the fallback.

    ASCII text is searched as bytes, where RE2's offsets are character offsets as they are:
    the wrapper's conversion of offsets for `str` input costs more than the search itself.
    """

    def __init__(self, pattern: str, fallback: re.Pattern[str]) -> None:
        self.fallback = fallback
        try:
            import re2
        except ImportError:  # pragma: no cover - google-re2 is a dependency
            self.text: Any = None
            self.data: Any = None
            return
        self.text = re2.compile(pattern)
        self.data = re2.compile(pattern.encode("utf-8"))

    def spans(self, text: str) -> list[Span]:
        """[start, end) of every match, leftmost first."""
        if self.data is not None and text.isascii():
            return [found.span() for found in self.data.finditer(text.encode("ascii"))]
        if self.text is not None:
            try:
                return [found.span() for found in self.text.finditer(text)]
            except UnicodeEncodeError:  # lone surrogates from undecodable input bytes
                pass
        return [found.span() for found in self.fallback.finditer(text)]


def _spoken_card(meta: RuleMeta, options: Mapping[str, Any]) -> SpokenCardRule:
    return SpokenCardRule(meta, SpokenCardOptions.parse(options))


DETECTORS: dict[str, DetectorFactory] = {"spoken_card": _spoken_card}
