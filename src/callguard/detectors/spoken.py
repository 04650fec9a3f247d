"""Digits said as words: the normaliser (`digit_runs`) shared by the spoken-number rules.

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

The regex fragments (`WORD`, `FILLER`, `TOKEN`, `GAP`, `GAP_CHAR`, `RUN_RE2`) are public because the
spoken card rule (PCI002, `callguard.detectors.spoken_card`) builds its RE2 searches from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from callguard.detectors.search import RE2Spans

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
# Every number word, longest first, as a regex alternation.
WORD = "|".join(_NUMBER_WORDS)
SPACE_CHARS = "\u00a0\u2026\u2013"  # no-break space, ellipsis, en dash (as characters: RE2)
# Every filler, longest first, as a regex alternation.
FILLER = "|".join(sorted(FILLERS, key=len, reverse=True))
# A number token; "hundred and" is one token so that "one hundred and five" stays one run.
TOKEN = rf"(?:\b(?:hundred[ \t]{{1,4}}and|{WORD})\b|[0-9]{{1,64}})"
# A character that may sit between two tokens (a filler may too).
GAP_CHAR = rf"[ \t{SPACE_CHARS},.;-]"
GAP = rf"(?:{GAP_CHAR}|\b(?:{FILLER})\b){{1,24}}"
# A maximal run: number tokens separated by gaps (never a newline). Linear: gaps and tokens are
# disjoint, and every quantifier is bounded.
RUN = re.compile(rf"{TOKEN}(?:{GAP}{TOKEN}){{0,400}}", re.IGNORECASE)
# The same run for RE2 (linear by construction, so its repeat needs no bound).
RUN_RE2 = rf"(?i){TOKEN}(?:{GAP}{TOKEN})*"
# Any number word (not a digit): the cheap test for "is there anything spoken here at all".
NUMBER_WORD = rf"(?i)\b(?:{WORD})\b"
_PIECE = re.compile(r"[0-9]{1,64}|[a-zA-Z]{1,64}(?:[ \t]{1,4}and\b)?")
_NUMERAL = re.compile(r"[0-9]{1,64}")
# A run with no word in it (numerals, spaces and punctuation only): read without word rules.
NUMERALS_ONLY = re.compile(r"[^a-zA-Z]*")
# What may sit between two tokens of one spoken group (a group ends at punctuation or a filler).
SAME_GROUP = re.compile(r"[ \t\u00a0\u2013-]*")

Span = tuple[int, int]
# Each unit word as `_read_plain` meets it, alone or ending a group: (digit, ends a group).
_UNIT_PARTS = {word: (digit, False) for word, digit in UNITS.items()}
_UNIT_PARTS |= {f"{word},": (digit, True) for word, digit in UNITS.items()}
# After these, a unit word is one more digit: not after "forty" ("forty one" = 41) or "hundred".
_PLAIN_BEFORE_UNIT = frozenset(("", "unit", "teen", "num"))


@dataclass(frozen=True)
class DigitRun:
    """A maximal run of digits said as words and/or numerals.

    `spans[i]` is the analysis-text span of the token that produced `digits[i]`; a token that
    says two digits ("twenty", "double four") gives both the same span.
    """

    digits: str = field(repr=False)
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
    reader = RunReader(text)
    for run_start, run_end in _run_spans().spans(text, start, stop):
        reader.read(run_start, run_end)
    return reader.runs


@cache
def _run_spans() -> RE2Spans:
    """RUN searched by RE2: `re` tries every number word at every position, a few MB/s."""
    return RE2Spans(RUN_RE2, RUN)


class RunReader:
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

    @property
    def runs(self) -> list[ParsedRun]:
        """Every run read so far, in text order."""
        return self._runs

    def read(self, start: int, end: int) -> list[ParsedRun]:
        """Reads one regex run; returns every run read so far (one reader may read many)."""
        text = self._text
        if NUMERALS_ONLY.fullmatch(text, start, end):
            return self._read_numerals(start, end)
        if self._read_plain(start, end):
            return self._runs
        for token in _PIECE.finditer(text, start, end):
            begin, finish = span = token.span()
            previous = self._previous_end
            if (
                previous >= 0
                and not (begin - previous == 1 and text[previous] == " ")
                and not SAME_GROUP.fullmatch(text, previous, begin)
            ):
                self._break()
            word = token.group().lower()
            digit = UNITS.get(word)
            if digit is not None and self._last in _PLAIN_BEFORE_UNIT and self._repeat == 1:
                self._previous_end = finish  # the common case, a digit said on its own
                self._emit(digit, span, "unit")
            else:
                self._token(word, span)
        self._flush()
        return self._runs

    def _read_numerals(self, start: int, end: int) -> list[ParsedRun]:
        """The fast path for a run of numerals only (timestamps, typed numbers): no words, so
        no token state; a new group starts wherever the gap is more than spaces and hyphens."""
        text = self._text
        if end - start <= 64 and text[start:end].isdigit():  # one numeral ("1954"): one token
            span = (start, end)
            run = DigitRun(text[start:end], (span,) * (end - start))
            self._runs.append(ParsedRun(run, (0,), False))
            return self._runs
        digits: list[str] = []
        spans: list[Span] = []
        groups: list[int] = []
        previous = -1
        for token in _NUMERAL.finditer(text, start, end):
            if previous < 0 or not SAME_GROUP.fullmatch(text, previous, token.start()):
                groups.append(len(spans))
            numeral, span = token.group(), token.span()
            digits.append(numeral)
            spans.extend([span] * len(numeral))
            previous = span[1]
        if digits:
            run = DigitRun("".join(digits), tuple(spans))
            self._runs.append(ParsedRun(run, tuple(groups), False))
        return self._runs

    def _read_plain(self, start: int, end: int) -> bool:
        """The fast path for the common spoken run, unit words and numerals set apart by single
        spaces and ASR commas ("four one one one, 4111"): no word rule applies, so it is read
        by splitting on spaces. False (nothing read) for any other run, left to the tokens."""
        segment = self._text[start:end]
        if not segment.isascii():
            return False
        parts = segment.lower().split(" ")
        if parts[0] in ("oh,", "o,"):
            return False  # perhaps an interjection (see `_break`)
        digits: list[str] = []
        spans: list[Span] = []
        groups: list[int] = []
        worded, new_group, position = False, True, start
        for part in parts:
            if new_group:
                groups.append(len(spans))
            unit = _UNIT_PARTS.get(part)  # most parts: "four" or "four,"
            if unit is not None:
                digit, new_group = unit
                worded = True
                spans.append((position, position + len(part) - new_group))
            else:
                new_group = part.endswith(",")
                digit = part[:-1] if new_group else part
                if not (digit.isdigit() and len(digit) <= 64):  # tokens split longer numerals
                    return False
                spans.extend([(position, position + len(digit))] * len(digit))
            digits.append(digit)
            position += len(part) + 1
        run = DigitRun("".join(digits), tuple(spans))
        self._runs.append(ParsedRun(run, tuple(groups), worded))
        return True

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
        if len(digits) == 1:
            self._digits.append(digits)
            self._spans.append(span)
        else:
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
