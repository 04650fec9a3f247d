"""Conversation context: a question in one turn gives the next turn's answer its meaning.

"What's your date of birth?" makes the customer's next date a birth date; "and your social?"
makes the next nine digits a Social Security number; "can you spell your last name?" makes
the letters that follow a name. A cue said by the customer ("my member ID is ...") works the
same way inside its own turn. Rules here are `detector:` rules whose YAML options list the cue
phrases (regex fragments, case-insensitive) and what the answer must look like.

Which turns an answer is read from is `callguard.detectors.cue_turns`: a few, within
`ANSWER_LINES` lines of the cue, which lets a redaction read-back look for cues near its edits
only (`CueRule.reach`). Spoken digit runs come from `callguard.detectors.spoken.digit_runs`
(shared with the spoken card rule); identifiers mixing letters and digits and spelled names
from `callguard.detectors.letter_runs`. Cues are found through an RE2 prefilter
(`callguard.detectors.cues`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from callguard.detectors.cue_turns import ANSWER_LINES, answer_regions, utterances_near
from callguard.detectors.cues import cue_search, longest_match
from callguard.detectors.letter_runs import PHONETIC_CHARS, id_runs, merge_spans, spelled_runs
from callguard.detectors.spoken import digit_runs
from callguard.detectors.spoken_pieces import is_readback
from callguard.document import Document
from callguard.model import RuleMeta
from callguard.named import DetectorFactory
from callguard.rule import Match, Reach, Rule


class CueRule:
    """Shared part of the cue-driven rules: metadata, cue regex, turns."""

    def __init__(self, meta: RuleMeta, options: Mapping[str, Any]) -> None:
        self._meta = meta
        self._cues, self._trigger = cue_search(options)
        self._reach = int(options.get("reach", 160))
        self._cue_chars = longest_match(self._cues.regex)

    @property
    def meta(self) -> RuleMeta:
        return self._meta

    @property
    def trigger(self) -> str | None:
        """RE2 prefilter of the cues: a document without any of them skips the rule."""
        return self._trigger

    @property
    def reach(self) -> Reach | None:
        """Where the rule starts (a cue) is within reach of all that decides its answer.

        The answer, and every turn read to find it, lie in the cue's line or the
        `ANSWER_LINES` lines after it (`answer_regions`). Only the rest of the cue's own turn,
        or the text after a cue outside every turn, may run past a line break; it ends within
        `reach` characters of the cue's end, a spelled letter's "as in Sam" at most
        `PHONETIC_CHARS` later. So chars: the longest cue, the `reach`, that tail; lines:
        `ANSWER_LINES`. None (read everything) when a cue's length has no bound.
        """
        if self._cue_chars is None or PHONETIC_CHARS is None:
            return None
        return Reach(chars=self._cue_chars + self._reach + PHONETIC_CHARS, lines=ANSWER_LINES)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._meta.id})"

    def scan(self, document: Document) -> Iterator[Match]:
        text = document.text
        used: set[tuple[tuple[int, int], ...]] = set()
        for cue in self._cues.finditer_in(text, document.focus_spans(self.reach)):
            turns = utterances_near(document, cue.end())
            regions = answer_regions(document, turns, cue.end(), reach=self._reach)
            match = self._answer(text, regions)
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
