"""Conversation context: a question in one turn gives the next turn's answer its meaning.

"What's your date of birth?" makes the customer's next date a birth date; "and your social?"
makes the next nine digits a Social Security number; "can you spell your last name?" makes
the letters that follow a name. A cue said by the customer ("my member ID is ...") works the
same way inside its own turn. Rules here are `detector:` rules whose YAML options list the cue
phrases (regex fragments, case-insensitive) and what the answer must look like.

A Document with turns (chat messages, transcript utterances) is followed turn by turn; one
without turns (`Scanner.scan_text`) is read line by line, a leading `Name:` naming the speaker.
Spoken digit runs come from `callguard.detectors.spoken.digit_runs` (shared with the spoken
card rule); identifiers mixing letters and digits and spelled names from
`callguard.detectors.letter_runs`. Cues are found through an RE2 prefilter
(`callguard.detectors.cues`), and only the few turns after a cue are read.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from callguard.detectors.answer_regions import REDACTED
from callguard.detectors.cues import cue_search
from callguard.detectors.letter_runs import id_runs, merge_spans, spelled_runs
from callguard.detectors.spoken import digit_runs
from callguard.detectors.spoken_pieces import is_readback
from callguard.document import Document, Turn
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
    turns = _speaking_turns(document)
    if turns:
        return [Utterance(turn.start, turn.end, turn.speaker) for turn in turns]
    lines: list[Utterance] = []
    position = 0
    for line in document.text.split("\n"):
        lines.append(_line(line, position))
        position += len(line) + 1
    return lines


def utterances_near(document: Document, position: int) -> list[Utterance]:
    """The utterance holding `position` and the `_FOLLOWING_TURNS` after it, read lazily.

    The same utterances as `utterances`, for the few a cue's answer can be in: listing every
    line of a call once per cue rule cost more than the rules' matching.
    """
    turns = _speaking_turns(document)
    count = _FOLLOWING_TURNS + 1
    if turns:
        if turns is document.turns:
            first = max(document.turn_index(position), 0)
        else:
            first = max(bisect.bisect_right([t.start for t in turns], position) - 1, 0)
        return [Utterance(t.start, t.end, t.speaker) for t in turns[first : first + count]]
    text = document.text
    start = text.rfind("\n", 0, position) + 1
    found: list[Utterance] = []
    while len(found) < count and start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        found.append(_line(text[start:end], start))
        start = end + 1
    return found


def _speaking_turns(document: Document) -> Sequence[Turn]:
    """The turns that carry speech: the mirror copies of a transcript are left out."""
    turns = document.turns
    if not any(turn.mirror for turn in turns):
        return turns
    return [turn for turn in turns if not turn.mirror] or turns


def _line(line: str, position: int) -> Utterance:
    label = _LABEL.match(line)
    speaker = label.group(1).strip().lower() if label else None
    return Utterance(position, position + len(line), speaker)


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
        # A cue outside every turn: the text after it, up to the next turn (whose label and
        # time stamp are no answer).
        stop = turns[index + 1].start if index + 1 < len(turns) else len(document.text)
        return _until_redacted(document.text, [(cue_end, min(stop, cue_end + reach))])
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
        body_start = _body_start(document.text, turn)
        regions.append((body_start, min(turn.end, body_start + reach)))
    return _until_redacted(document.text, regions)


def _body_start(text: str, turn: Utterance) -> int:
    """Where a turn's words start: after its own speaker label and any time stamp before it
    ("[2025-05-26 18:53] Customer:"), whose digits are no answer."""
    label = _LABEL.match(text, turn.start, turn.end)
    if label is None or turn.speaker is None:
        return turn.start
    same = label.group(1).strip().lower() == turn.speaker.strip().lower()
    return label.end() if same else turn.start


def _until_redacted(text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The regions up to the first redaction marker (see `answer_regions.REDACTED`)."""
    kept: list[tuple[int, int]] = []
    for start, end in regions:
        marker = REDACTED.search(text, start, end)
        if marker is not None:
            kept.append((start, marker.start()))
            break
        kept.append((start, end))
    return kept


def is_backchannel(turn_text: str) -> bool:
    """True for a turn that only acknowledges ("okay", "uh huh, go on"), after its label."""
    label = _LABEL.match(turn_text)
    body = turn_text[label.end() :] if label else turn_text
    return not body.strip() or _BACKCHANNEL.fullmatch(body.strip()) is not None


class CueRule:
    """Shared part of the cue-driven rules: metadata, cue regex, turns."""

    def __init__(self, meta: RuleMeta, options: Mapping[str, Any]) -> None:
        self._meta = meta
        self._cues, self._trigger = cue_search(options)
        self._reach = int(options.get("reach", 160))

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    @property
    def trigger(self) -> str | None:
        """RE2 prefilter of the cues: a document without any of them skips the rule."""
        return self._trigger

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._meta.id})"

    def scan(self, document: Document) -> Iterator[Match]:
        used: set[tuple[tuple[int, int], ...]] = set()
        for cue in self._cues.finditer(document.text):
            turns = utterances_near(document, cue.end())
            regions = answer_regions(document, turns, cue.end(), reach=self._reach)
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
        """The first number of a wanted length said after the cue, from up to three starts.

        Runs are joined in order (a ZIP said "six two seven" ... "oh four"); from each start the
        longest valid join wins ("98109-1234" over "98109"), but a valid number is never passed
        over for digits said after it ("the zip is 98109" ... "last four are 9008").
        Read-backs ("last four", "ending in") are no answer.
        """
        runs = [
            run
            for start, end in regions
            for run in digit_runs(text, start, end)
            if not is_readback(text, run.spans[0][0])
        ]
        longest = max(self._lengths)
        for first in range(min(len(runs), 3)):
            digits, spans = "", list[tuple[int, int]]()
            best: tuple[str, list[tuple[int, int]]] | None = None
            for run in runs[first:]:
                if len(digits) + len(run.digits) > longest:
                    break
                digits += run.digits
                spans = [*spans, *run.spans]
                if len(digits) in self._lengths and (
                    self._validate is None or self._validate(digits)
                ):
                    best = (digits, spans)
            if best is not None:
                return self._match(text, *best)
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
