"""Which parts of a document the NER model reads: short windows around possible names and places.

Running spaCy over every turn of every call costs far more than the rest of a scan. Most words
cannot start a name or place, so the model reads only windows around a *candidate*: a capitalised
word that is not a common word (`COMMON_WORDS`, plus spaCy's English stop words and a rule's
quiet words, held by a `Gate`) nor holds a digit (an id such as "CPL-65502"), or a lower-case
word after a cue phrase ("my name is", "I live in"). `candidate_windows` cuts `CONTEXT_CHARS`
either side of each candidate at spaces, within its line and after the line's speaker label,
merges overlapping windows, and title-cases cued words so the model sees "Dayton" where ASR
wrote "dayton" (same length, offsets hold). A cued
word after "I'm" counts only before "calling" or "speaking": "i'm glad to" is not a name, and
the tag redaction left ("[PERSON]") is not a name either.

Everything that makes a window, and the window itself, lies in one line. So a focused read-back
(`Document.focus_spans`) gets the very windows a full reading has in the lines it reads by
finding candidates in those lines only.

Model loading and the shared pass that runs the model on these windows are `callguard.nlp`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from callguard.detectors.answer_regions import REDACTED
from callguard.detectors.cues import fast
from callguard.detectors.search import FastRegex

CONTEXT_CHARS = 24
Spans = Sequence[tuple[int, int]]
# The whole of a text, for the functions that read only some of it.
EVERYWHERE: Spans = ((0, 1 << 62),)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that never start a name or place on their own: a capitalised one does not wake the model,
# and the rules trim them from the edges of an entity ("Thanks Maria" -> "Maria").
COMMON_WORDS = _words(
    """a about actually after again ah alright also am an and any anything are as ask at
    back be because been before but by bye call called calling calls can cannot could
    day did do does doing done dont don't each ever everything excellent fine for from get go
    going good goodbye got great had has have he hello help her here hey hi him his hm hmm
    how i i'd i'll i'm i've if im in is it it's its just know last let let's like look
    me mhm mine moment my name need no nope not now number of off oh ok okay on one or
    our out over perfect please right say see she should so sorry speaking sure thank
    thanks that that's the their them then there they this those through to today
    tomorrow two uh uh-huh um unfortunately up us very wait want was we we'll we're
    well what when where which who why will with would wow yeah yep yes yesterday you
    you're your welcome morning afternoon evening night week month year hold transfer
    agent customer caller client rep representative operator advisor associate csr member
    patient user assistant bot ivr supervisor consumer visitor guest speaker system
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december
    card credit debit account balance payment pay bill billing order number expiration
    expiry date code security cvv cvc cvv2 pin ssn dob id mrn zip npi dea mbi ein itin
    insurance plan claim policy pharmacy prescription refill appointment doctor
    phone email address street city state zip postal medicare medicaid hipaa pci
    great awesome cool correct confirm confirmed verify verified alright gotcha understood"""
)

_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][\w'’-]{0,30}")
_DIGIT = re.compile(r"[0-9]")
# "Kansas City", "New York City": a city named after its state, both words quiet on their own.
_STATE_CITY = fast(re.compile(r"(?<![\w'’])[A-Z][a-z]{1,20}(?: [A-Z][a-z]{1,20})? City\b"))
_CUE_WORDS = r"(?P<words>[a-z][a-z'’-]{1,30}(?: [a-z][a-z'’-]{1,30}){0,2})"
_SELF_CUE = r"i am|i'm|i’m"
_PERSON_CUE = (
    rf"my name is|my name's|name is|name's|this is|{_SELF_CUE}|speaking with|speak to|speak with"
    r"|talking to|talk to|first name|last name|surname|mr\.?|mrs\.?|ms\.?|dr\.?|doctor|nurse"
)
_PLACE_CUE = (
    r"live in|living in|lives in|lived in|moved to|move to|located in|born in|from|city of"
    r"|town of|county of|over in|out in|up in|down in"
)
_CUE = fast(
    re.compile(
        rf"\b(?:(?P<self>{_SELF_CUE})|{_PERSON_CUE}|{_PLACE_CUE})[ ,]{{1,3}}{_CUE_WORDS}",
        re.IGNORECASE,
    )
)
# After "I'm", a lower-case word is far more often a state ("i'm glad to", "i'm unemployed")
# than a name; a name is followed by "calling" or "speaking" ("i'm maria calling from …").
_SELF_NAME = re.compile(r"[a-z][a-z'’-]{1,30}(?: [a-z][a-z'’-]{1,30})?,? (?:calling|speaking)\b")
# A cue phrase right before an offset: the shared pass marks the entities it finds there,
# reading the CUE_CHARS before each.
CUE_CHARS = 24
CUE_BEFORE = re.compile(rf"\b(?:{_PERSON_CUE}|{_PLACE_CUE})[ ,]{{1,3}}\Z", re.IGNORECASE)
_LINE_LABEL = re.compile(
    r"[ \t]{0,8}(?:(?:\[[^\]\n]{1,40}\]|\(\d[^)\n]{0,30}\)|\d{1,2}:\d{2}(?::\d{2})?(?:\.\d{1,3})?)"
    r"[ \t]{1,8})*(?P<label>[^\W\d][\w'.-]{0,30}(?: [\w'.-]{1,30}){0,2})[ \t]{0,4}"
    r"(?:\[[^\]\n]{1,20}\][ \t]{0,4}|\([^)\n]{1,20}\)[ \t]{0,4})?[:>]"
)
_SPEAKER_ID = re.compile(r"(?:spk|speaker|channel|ch)[ _-]?\d{1,3}|\d{1,3}", re.IGNORECASE)


@dataclass(frozen=True)
class Gate:
    """Which capitalised words may start a name or place: not a quiet word, not in a quiet phrase.

    spaCy's English stop words join the built-in common words, so a sentence-initial "Would" or
    "Whatever" does not wake the model.
    """

    words: frozenset[str]
    phrases: FastRegex | None

    @classmethod
    def build(cls, quiet: Iterable[str]) -> Gate:
        from spacy.lang.en.stop_words import STOP_WORDS

        quiet = set(quiet) | {str(word) for word in STOP_WORDS}
        phrases = sorted((q for q in quiet if " " in q), key=len, reverse=True)
        pattern = "|".join(re.escape(phrase).replace(r"\ ", " {1,3}") for phrase in phrases)
        compiled = fast(re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)) if phrases else None
        return cls(frozenset(q for q in quiet if " " not in q), compiled)

    def candidates(self, text: str, spans: Spans = EVERYWHERE) -> list[tuple[int, int, bool]]:
        """(start, end, cued) of every word that may begin an entity, in the whole lines of
        `spans` (every regex here stays in one line, so a line reads the same alone)."""
        found: list[tuple[int, int, bool]] = []
        for low, high in spans:
            found += self._capitalised(text, low, high)
            found += [
                (*m.span("words"), True)
                for m in _CUE.finditer(text, low, high)
                if self._is_cued_name(m)
            ]
            found += [(*m.span(), False) for m in _STATE_CITY.finditer(text, low, high)]
        return found

    def _capitalised(self, text: str, low: int, high: int) -> list[tuple[int, int, bool]]:
        """Capitalised words that are not quiet, nor in a quiet phrase, nor a redaction tag."""
        found = [
            (m.start(), m.end(), False)
            for m in _CAPITALISED.finditer(text, low, high)
            if m.group().casefold().strip("'’-") not in self.words
            and not _DIGIT.search(m.group())  # an id ("CPL-65502"), never a name or place
            and not (text[m.start() - 1 : m.start()] == "[" and REDACTED.match(text, m.start() - 1))
        ]
        if found and self.phrases is not None:
            quiet = [m.span() for m in self.phrases.finditer(text, low, high)]
            found = [c for c in found if not any(a <= c[0] < b for a, b in quiet)]
        return found

    def _is_cued_name(self, cue: re.Match[str]) -> bool:
        """A lower-case, uncommon word after a cue ("i live in dayton"), not a verb in -ing."""
        first = cue.group("words").split(" ", 1)[0]
        if not first[:1].islower() or first in self.words:
            return False
        if cue.group("self") and not _SELF_NAME.match(cue.string, cue.start("words")):
            return False
        return not (first.endswith("ing") and len(first) > 5)


def candidate_windows(
    text: str,
    speakers: set[str],
    gate: Gate,
    settled: Sequence[tuple[int, int]] = (),
    spans: Spans = EVERYWHERE,
) -> list[tuple[int, str]]:
    """(offset, text for the model) of each stretch of `text` that may hold a name or place.

    A window is a candidate word with `CONTEXT_CHARS` either side, cut at spaces and at the
    line, without the line's speaker label; overlapping windows merge. Lower-case words after
    a cue are title-cased for the model (same length, so offsets hold). Candidates inside a
    `settled` span (a name or place the conversation states) need no model. Only candidates
    in the whole lines of `spans` are read (a focused read-back's).
    """
    starts = gate.candidates(text, spans)
    if settled:
        inside = Cover(settled)
        starts = [c for c in starts if not inside.covers(c[0])]
    if not starts:
        return []
    starts.sort()
    windows: list[list[int]] = []
    titled: list[tuple[int, int]] = []
    line_start, line_end, body = -1, -1, 0
    for start, end, cued in starts:
        if start >= line_end:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = _line_end(text, start)
            body = line_start + _label_length(text, line_start, line_end, speakers)
        if start < body:
            continue
        if cued:
            titled.append((start, end))
        edge = start - CONTEXT_CHARS
        begin = body if edge <= body else max(body, text.rfind(" ", body, edge) + 1)
        space = text.find(" ", min(line_end, end + CONTEXT_CHARS), line_end)
        stop = line_end if space < 0 else space
        if windows and begin <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], stop)
        else:
            windows.append([begin, stop])
    return [(begin, _model_text(text, begin, stop, titled)) for begin, stop in windows]


class Cover:
    """Whether an offset, or a span, meets any of some spans (they may overlap), by binary
    search: a call states hundreds of names, and testing each candidate or entity against
    each of them cost more than the rest of the NER pass."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            # Spans that only touch stay apart: an empty span meets only what lies around it.
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self._spans = merged
        self._starts = [start for start, _ in merged]

    def covers(self, position: int) -> bool:
        """Whether `position` lies inside one of the spans."""
        return self.overlaps(position, position + 1)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) and one of the spans overlap (an empty one: lies inside)."""
        index = bisect.bisect_left(self._starts, end) - 1
        return index >= 0 and self._spans[index][1] > start


def starts_in(position: int, spans: Spans) -> bool:
    """Whether `position` lies in one of the sorted, disjoint `spans`."""
    index = bisect.bisect_right(spans, (position, 1 << 62)) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _label_length(text: str, start: int, end: int, speakers: set[str]) -> int:
    """Length of the speaker label ("Agent:", "spk_0 [12.3]:") opening a line, or 0."""
    found = _LINE_LABEL.match(text, start, min(end, start + 100))
    if found is None:
        return 0
    label = found.group("label")
    is_speaker = label in speakers or label.casefold() in COMMON_WORDS
    return found.end() - start if is_speaker or _SPEAKER_ID.fullmatch(label) else 0


# A possessive after a capitalised word: the small model often reads "Olga Krylova's" as an
# organisation, and "Olga Krylova" followed by two spaces as the person it is.
_POSSESSIVE = re.compile(r"\b([A-Z][^\W\d_]{1,30})['’]s(?!\w)")


def _model_text(text: str, begin: int, stop: int, titled: list[tuple[int, int]]) -> str:
    """What the model reads for text[begin:stop]: cued words title-cased, possessives blanked.

    Both keep the length, so the model's offsets are offsets into the window.
    """
    return _POSSESSIVE.sub(r"\1  ", _title_case(text, begin, stop, titled))


def _title_case(text: str, begin: int, stop: int, titled: list[tuple[int, int]]) -> str:
    """text[begin:stop] with the cued lower-case words title-cased, length unchanged."""
    chunk = text[begin:stop]
    for start, end in titled:
        if begin <= start and end <= stop:
            cased = " ".join(_title_word(word) for word in text[start:end].split(" "))
            if len(cased) == end - start:
                chunk = chunk[: start - begin] + cased + chunk[end - begin :]
    return chunk


def _title_word(word: str) -> str:
    return word if word.casefold() in COMMON_WORDS else word[:1].upper() + word[1:]
