"""PCI002: card numbers said as words, mixed with digits, or in pieces over a speaker's turns.

PCI001 reads digits as they are written; this rule reads what speech-to-text makes of a card
number read aloud. It starts from the digit runs `callguard.detectors.spoken` reads, and either
finds a valid number inside one run (the whole run, whole groups of it, or the run minus a
security code said straight after) or joins short runs of ONE speaker, in order, within a window
of turns, characters and seconds set by `SpokenCardOptions`. Read-backs ("ending in ...") and
digits glued to brackets, amounts, times or ids are not pieces.

Speed: a cheap RE2 seed search finds the lines where a number may be said; Python reads only
those lines (and, when a seed ends its line, the heads of the next few a split number may go on
in). Within them, RE2 calls (a microsecond or two each) are spared where they cannot matter: a
hint search skips the stretches whose runs are all idle (times, labels), and short neighbouring
stretches are searched as one (`_busy_runs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from callguard.detectors.patterns import (
    CONTEXT_BOOST,
    NEGATIVE_CONTEXT_PENALTY,
    ContextWords,
)
from callguard.detectors.search import RE2Spans
from callguard.detectors.spoken import (
    FILLER,
    GAP,
    GAP_CHAR,
    NUMERALS_ONLY,
    RUN,
    RUN_RE2,
    SAME_GROUP,
    SPACE_CHARS,
    TOKEN,
    WORD,
    ParsedRun,
    RunReader,
    Span,
)
from callguard.detectors.spoken_pieces import (
    EMBED_BEFORE,
    Conversation,
    Piece,
    is_embedded,
    is_readback,
)
from callguard.detectors.validators import describe_card, is_card_number
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.named import DetectorFactory
from callguard.rule import Match, Reach

_MIN_PAN, _MAX_PAN = 13, 19
# Where a number may start being said: a run of two or more number tokens with a word in it; a
# short line (label, a few words) that ends in digits, as when a chat user types a PAN in parts;
# or digit groups set apart by an ASR comma. Lookaround-free, so RE2 runs it in linear time.
_SEED = (
    rf"(?im)(?:[0-9]{{1,64}}{GAP})?\b(?:{WORD})\b(?:{GAP}{TOKEN})+"
    r"|^(?:[^\n:]{0,60}:[ \t]{1,4})?(?:[a-z']{1,12}[ \t,.]{1,3}){0,4}[0-9][0-9 \t.,;-]{2,40}$"
    r"|[0-9]{3}[ \t]{0,2}[,;][ \t]{1,2}[0-9]{3}"
)
_LETTER_WORD = re.compile(r"[A-Za-z]{1,64}")
# How far back from a seed a number may have begun ("4111 1111? one one ..."): `_reads`.
_READ_BACK = 400
_LAST_LETTER = re.compile(rf"[A-Za-z][^A-Za-z\n]{{0,{_READ_BACK}}}$")
_LETTER = re.compile(r"[A-Za-z]")
# A stretch of text to read: [start, end), runs starting after `limit` skipped.
Read = tuple[int, int, int]
_DIGIT = re.compile(r"[0-9]")
_PCI001_SHAPE = re.compile(r"[0-9](?:[ .-]?[0-9])*")
# The last character before a position that no run can hold (ASCII: not a digit, letter or gap).
_LAST_OUTSIDE = re.compile(rf"[^0-9A-Za-z \t,.;-][0-9A-Za-z \t,.;-]{{0,{_READ_BACK * 2}}}$")
# A seed of this many words most often says a number whole: whether its line holds a piece
# that may go on in later turns is worth asking (`SpokenCardRule._reads`).
_WHOLE_NUMBER_WORDS = 10
# A line whose tail past its read's limit is at most this long is searched together with the
# next line's read (`_joined`).
_SHORT_TAIL = 40


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


class SpokenCardRule:
    """PCI002: card numbers said as words, mixed, or in pieces over a speaker's turns."""

    def __init__(self, meta: RuleMeta, options: SpokenCardOptions) -> None:
        self._meta = meta
        self._options = options
        self._context = ContextWords(options.context)
        self._negative = ContextWords(options.negative_context)
        self._seed = RE2Spans(_SEED, re.compile(_SEED))
        self._runs = RE2Spans(RUN_RE2, RUN)
        hint = _busy_hint(options.min_piece_digits)
        self._hint = RE2Spans(hint, re.compile(hint))
        # A line's first `max_own_words` words: a continuation piece starts by the next one.
        words = options.max_own_words
        self._head = re.compile(
            rf"(?:[^A-Za-z\n]{{0,400}}[A-Za-z]{{1,64}}){{0,{words}}}[^A-Za-z\n]{{0,400}}"
        )

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    def __repr__(self) -> str:
        return f"SpokenCardRule({self._meta.id})"

    @property
    def reach(self) -> Reach:
        """A number's first piece, where it is seeded, lies within `max_turns` of the
        speaker's turns with at most `max_other_turns` others between two pieces, so within
        (max_turns - 1) x (max_other_turns + 1) lines of its last piece; its context words
        lie `context_chars` before it, and a seed is read from up to 400 characters back
        (`_reads`), within the seed's line: nothing before a seed but those characters
        decides it (turns and speakers are the same in a read-back), so no line before."""
        options = self._options
        lines = (options.max_turns - 1) * (options.max_other_turns + 1)
        return Reach(chars=options.context_chars + _READ_BACK, lines=lines, lines_before=0)

    @property
    def trigger(self) -> str:
        """Where a number may start being said (`_SEED`): without one, nothing to read."""
        return _SEED

    def scan(self, document: Document) -> Iterator[Match]:
        parsed = _ReadRuns(document.text)
        reads = self._reads(document, parsed)
        if not reads:
            return
        text = document.text
        known = [span for read in reads for span in parsed.busy.get(read, ())]
        spans = sorted(known + self._busy_runs(text, [r for r in reads if r not in parsed.busy]))
        yield from self._matches(document, [run for span in spans for run in parsed.of(span)])

    def _busy_runs(self, text: str, reads: list[Read]) -> list[Span]:
        """The runs starting in each read by its limit that are not idle (`_is_idle`).

        Each RE2 call costs a microsecond or two however short the text, and a search of a read
        ends with one that finds nothing or a run past the limit. So a read with no run worth
        reading is skipped, or read only from near the first, after one search for a hint
        (`_busy_part`); and the reads of neighbouring lines are searched as one when a line's
        tail past its limit is short, the runs starting in a tail being dropped
        (`_within_limits`). Both give exactly the runs a search of every read gives: most
        reads are the heads of lines read ahead, whose runs are times in labels
        ("[2025-05-16 15:05] Customer:").
        """
        if text.isascii():  # the hint's classes are ASCII (`_busy_hint`)
            busy = (self._busy_part(text, read) for read in reads)
            reads = [read for read in busy if read is not None]
        found = _within_limits(self._runs.spans_in(text, _joined(text, reads)), reads)
        return [span for span in found if not self._is_idle(text, span[0], span[1])]

    def _busy_part(self, text: str, read: Read) -> Read | None:
        """The part of a read where a run that is not idle may start: None if there is none,
        as no run starting by the limit matches the hint (`_busy_hint`) by the limit, and no
        run can reach past the limit without a spoken word or filler that begins by it (the
        limit is at a letter or ends the line). Runs before the first hint are idle too: the
        read is taken from the last character no run holds before it. A read whose tail is
        short is searched with its neighbours (`_joined`), unchanged."""
        start, end, limit = read
        if end - limit <= _SHORT_TAIL:
            return read
        at_letter = limit < len(text) and text[limit].isalpha()
        if not at_letter and not (limit == end and (end == len(text) or text[end] == "\n")):
            return read
        hint = self._hint.earliest_start(text, max(start - 1, 0), end)
        if hint is None or hint > limit:
            return None
        outside = _LAST_OUTSIDE.search(text, start, hint)
        return (outside.start() + 1, end, limit) if outside else read

    def _reads(self, document: Document, parsed: _ReadRuns) -> list[Read]:
        """What to read around each seed, in text order, overlaps merged.

        From the seed (or the last letter before it, so "4111 1111? one one one one ..." stays
        whole; in a mirror, whose pieces may have words between them, from 400 characters
        back). A seed with words after it in its line is read up to the first of them: a
        piece further on is separated from it by words, and in one turn that makes two
        numbers. A seed that ends its line may go on in later turns: the rest of its line is
        read, and the next lines up to their `max_own_words`-th word, as a piece further in
        has too many words before it to continue a number (`_is_near`). A seed of ten words or
        more most often says a number whole (an order number, a card, a phone number): it goes
        on only if its line holds a piece to go on from (`_may_go_on`). A read-back seed is no
        number and begins none: nothing is read for it. Reading whole lines around every seed
        cost three times as much on number-dense text, and the lines after numbers said whole
        a third of the rule's time; asking after every short seed cost more than it saved.
        """
        text = document.text
        reads: list[Read] = []
        looked_to = 0  # where the lines read ahead for earlier seeds end
        seeds = (
            seed
            for low, high in document.focus_spans(self.reach)
            for seed in self._seed.spans(text, low, last_start=high)
        )
        for hit_start, hit_end in seeds:
            if is_readback(text, hit_start):
                continue  # "ending in four two four two": nothing to read, nothing goes on
            line_start = text.rfind("\n", max(0, hit_start - _READ_BACK), hit_start) + 1
            line_end = _line_end(text, hit_end)
            if document.turns and document.is_mirror(hit_start, hit_end):  # mirrors are turns
                reads.append((max(line_start, hit_start - _READ_BACK), line_end, line_end))
                continue
            begin = _after_last_letter(text, line_start, hit_start)
            next_letter = _LETTER.search(text, hit_end, line_end)
            if next_letter is not None and line_end - hit_end > 60:
                reads.append((begin, line_end, next_letter.start()))
                continue
            reads.append((begin, line_end, line_end))
            said_whole = text.count(" ", hit_start, hit_end) >= _WHOLE_NUMBER_WORDS - 1
            if said_whole and not self._may_go_on(text, reads[-1], parsed):
                continue
            stop = self._lookahead_stop(document, hit_end)
            ahead = list(self._lookahead(text, max(line_end + 1, looked_to), stop))
            if ahead:
                reads.extend(ahead)
                looked_to = ahead[-1][1] + 1
        return _merged(reads)

    def _may_go_on(self, text: str, read: Read, parsed: _ReadRuns) -> bool:
        """Whether a number said over turns may begin in a seed's line: only if the line holds
        a piece, as a number goes on from its last piece there (`_is_near`). A line that says a
        number whole ("my order number is four two five seven, ...") holds none. What is
        read here is kept in `parsed` for `scan`."""
        spans = parsed.busy[read] = self._busy_runs(text, [read])
        return any(
            self._is_piece(text, run) and not is_readback(text, run.start)
            for span in spans
            for run in parsed.of(span)
        )

    def _lookahead_stop(self, document: Document, seed_end: int) -> int:
        """Where the lines a number begun at a seed may go on in end: the pieces after its first
        lie within `max_turns` turns of the speaker, each at most `max_gap_chars` past the last
        and `max_other_turns` turns after it (`_is_near`), so within (max_turns - 1) x
        (max_other_turns + 1) turns, or lines where there are no turns, of the seed's own."""
        options = self._options
        text = document.text
        stop = min(seed_end + options.max_turns * (options.max_gap_chars + 100), len(text))
        ordinals = (options.max_turns - 1) * (options.max_other_turns + 1)
        index = document.turn_index(seed_end)
        if index >= 0 and seed_end <= document.turns[index].end:
            last = document.turns[min(index + ordinals, len(document.turns) - 1)]
            return min(stop, last.end)
        if document.turns:
            return stop  # text between turns: lines and turns do not count alike
        position = seed_end
        for _ in range(ordinals + 1):  # the end of the seed's own line, then of the next ones
            position = text.find("\n", position, stop) + 1
            if position == 0:
                return stop
        return position - 1

    def _lookahead(self, text: str, position: int, stop: int) -> Iterator[Read]:
        """The heads of the lines from `position` to `stop` a number may go on in."""
        while position < stop:
            end = _line_end(text, position)
            head = self._head.match(text, position, end)
            yield position, end, head.end() if head else end
            position = end + 1

    def _matches(self, document: Document, runs: list[ParsedRun]) -> Iterator[Match]:
        """Single-run numbers, then numbers joined from the pieces of one speaker."""
        text = document.text
        conversation = Conversation(document, self._options.max_gap_chars)
        pieces: list[Piece] = []
        primary: set[str] = set()
        for run in runs:
            if is_readback(text, run.start):
                continue  # neither a number nor a piece of one
            single = self._single(text, run)
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
        if len(digits) < _MIN_PAN:
            return None  # too short to hold a card number: only a piece of one, at most
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

    def _is_idle(self, text: str, start: int, end: int) -> bool:
        """A run of numerals only that holds no card number of ours and is no piece of one.

        Most runs in a region are times, dates, phone parts and ids: checking their size and
        neighbours here, before reading them, makes the reader's cost follow the few that count.
        Most are one bare number ("2025", "39"), told by `str.isdigit` without a regex. A long
        run written the way PCI001 reads it (order numbers, epoch milliseconds, typed cards)
        is idle too: any card in it is PCI001's finding (`_single`), so only a piece may count.
        """
        segment = text[start:end]
        if segment.isdigit():
            size = len(segment)  # a run's digits are ASCII: its tokens are [0-9] or words
            written = True
        elif NUMERALS_ONLY.fullmatch(segment):
            size = len(_DIGIT.findall(segment))
            written = _PCI001_SHAPE.fullmatch(segment) is not None
        else:
            return False
        if size >= _MIN_PAN and not written:
            return False  # "4111, 1111, 1111, 1111": a card said in groups, ours to read
        options = self._options
        is_sized = options.min_piece_digits <= size <= options.max_piece_digits
        return not is_sized or is_embedded(text, start, end)

    def _is_piece(self, text: str, run: ParsedRun) -> bool:
        """Sized like a piece and not part of something else (read-backs are dropped first).

        A run said in groups of 3, 3 and 4 digits ("four one five, five five five, oh one three
        two") is a phone number: no card scheme groups its digits so, and a caller reading a
        card in parts reads the groups printed on it."""
        size = len(run.run.digits)
        if not self._options.min_piece_digits <= size <= self._options.max_piece_digits:
            return False
        if len(run.groups) == len(_PHONE_GROUPS) and _group_sizes(run) == _PHONE_GROUPS:
            return False
        return not is_embedded(text, run.start, run.end)

    def _splits(self, text: str, pieces: list[Piece]) -> Iterator[tuple[Match, bool]]:
        """Consecutive pieces of one speaker that together form a valid card number."""
        by_voice: dict[object, list[Piece]] = {}
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

    def _combo(self, text: str, sequence: list[Piece], index: int) -> list[Piece] | None:
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

    def _is_near(self, text: str, combo: list[Piece]) -> bool:
        """Within the window, and the speaker said little else between the two last pieces
        (nothing at all when both are in the same turn)."""
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
        if previous.turn == last.turn and words and not last.mirror:
            # Within one turn, digits said with other words between them are separate numbers
            # (a house number, a ZIP, a phone); a card read in one breath is already one run.
            # A mirror (the vendor's one-string copy of the whole call) is exempt: its matches
            # count only where the conversation itself holds the same number.
            return False
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
        before = max(0, start - self._options.context_chars)
        score = base
        if self._context.occur(text, before, start):
            score += CONTEXT_BOOST
        if self._negative.occur(text, before, start):
            score -= NEGATIVE_CONTEXT_PENALTY
        detail = describe_card(value) + (f", said in {parts} parts" if parts > 1 else "")
        return Match(
            rule_id=self._meta.id,
            confidence=round(min(max(score, 0.0), 1.0), 2),
            value=value,
            spans=tuple(spans),
            detail=detail,
        )


def _busy_hint(min_piece_digits: int) -> str:
    """RE2 for what every run `_is_idle` keeps holds (ASCII text): a spoken word or filler (any
    run with a letter); the char before a run of `min_piece_digits` or more digits, when it
    does not glue the run to something (`is_embedded`), or the text's start; or, from a digit
    on, a gap PCI001 does not read (two gap characters, or one other than a space, dot or
    hyphen), as in a card said in groups ("4111, 1111, ...")."""
    more = max(min_piece_digits, 1) - 1
    glue = "".join(f"\\{char}" for char in EMBED_BEFORE)
    return (
        rf"(?i:\b(?:{WORD}|{FILLER})\b)"
        rf"|(?:^|[^{glue}0-9A-Za-z])[0-9](?:{GAP_CHAR}{{0,24}}[0-9]){{{more}}}"
        rf"|[0-9](?:{GAP_CHAR}{{0,24}}[0-9])*?(?:{GAP_CHAR}{{2,24}}|[\t{SPACE_CHARS},;])[0-9]"
    )


class _ReadRuns:
    """The digit runs said in each regex run (most often one), read once per scan: a seed's
    line is read to know whether it may go on (`_may_go_on`), then with all the others.
    `busy` keeps the runs found in such a read (`_busy_runs`, which is exact read by read)."""

    def __init__(self, text: str) -> None:
        self._reader = RunReader(text)
        self._known: dict[Span, list[ParsedRun]] = {}
        self.busy: dict[Read, list[Span]] = {}

    def of(self, span: Span) -> list[ParsedRun]:
        runs = self._known.get(span)
        if runs is None:
            first = len(self._reader.runs)
            runs = self._known[span] = self._reader.read(*span)[first:]
        return runs


def _joined(text: str, reads: list[Read]) -> list[Read]:
    """The reads, those of neighbouring lines joined where a line's tail past its limit is
    short: one search of both costs less than a search ended by a call that finds nothing.
    No run crosses a newline, so a joined search finds each line's runs as its own did."""
    joined: list[Read] = []
    for start, end, limit in reads:
        if joined:
            first, last_end, last_limit = joined[-1]
            is_next_line = start == last_end + 1 and text[last_end] == "\n"
            if is_next_line and last_end - last_limit <= _SHORT_TAIL:
                joined[-1] = (first, end, limit)
                continue
        joined.append((start, end, limit))
    return joined


def _within_limits(spans: list[Span], reads: list[Read]) -> Iterator[Span]:
    """The spans (in text order, each starting in one of the reads) starting by the limit of
    their read: a joined search (`_joined`) also finds the runs in the tails of its lines."""
    index = 0
    for span in spans:
        while span[0] >= reads[index][1]:
            index += 1
        if span[0] <= reads[index][2]:
            yield span


def _candidates(run: ParsedRun) -> Iterator[Span]:
    """The whole run; then runs of whole groups (leftmost, longest first); then, for one long
    ungrouped run, the run without a trailing 3- or 4-digit security code said straight after."""
    size = len(run.run.digits)
    yield 0, size
    groups = run.groups
    if len(groups) > 1 and size - min(groups[1], size - groups[-1]) < _MIN_PAN:
        return  # leaving out the first or the last group leaves too few digits
    bounds = _group_bounds(run)
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
        if merged and SAME_GROUP.fullmatch(text, merged[-1][1], span[0]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


# How a phone number of the North American plan is said: area code, exchange, line.
_PHONE_GROUPS = (3, 3, 4)


def _group_bounds(run: ParsedRun) -> list[Span]:
    """[first, last) digit index of each group of a run, in order."""
    return list(pairwise((*run.groups, len(run.run.digits))))


def _group_sizes(run: ParsedRun) -> tuple[int, ...]:
    """The number of digits in each group of a run, in order."""
    return tuple(high - low for low, high in _group_bounds(run))


def _has_letter(text: str, span: Span) -> bool:
    return not text[span[0] : span[1]].isdigit()


def _merged(reads: list[Read]) -> list[Read]:
    """The reads in text order, overlapping ones joined, so that no run is read twice."""
    merged: list[Read] = []
    for start, end, limit in sorted(reads):
        if merged and start <= merged[-1][1]:
            known = merged[-1]
            merged[-1] = (known[0], max(known[1], end), max(known[2], limit))
        else:
            merged.append((start, end, limit))
    return merged


def _after_last_letter(text: str, line_start: int, position: int) -> int:
    """Just after the last letter before `position` in its line, if at most `_READ_BACK`
    characters before it; else `line_start`. Most seeds follow a word: the few characters
    before one are looked at first, the whole stretch only when they hold no letter."""
    near = max(line_start, position - 8)
    last_letter = _LAST_LETTER.search(text, near, position)
    if last_letter is None and near > line_start:
        last_letter = _LAST_LETTER.search(text, line_start, position)
    return last_letter.start() + 1 if last_letter else line_start


def _line_end(text: str, position: int) -> int:
    newline = text.find("\n", position, position + 400)
    return newline if newline >= 0 else min(len(text), position + 400)


def _spoken_card(meta: RuleMeta, options: Mapping[str, Any]) -> SpokenCardRule:
    return SpokenCardRule(meta, SpokenCardOptions.parse(options))


DETECTORS: dict[str, DetectorFactory] = {"spoken_card": _spoken_card}
