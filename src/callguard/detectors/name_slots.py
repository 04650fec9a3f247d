"""Names (and places) the conversation itself marks as such, whatever the model says of them.

A small NER model reads "My name is Rubija" as an organisation and "What's your last name?
Boyle" as nothing: it sees a rare word, not the question. A contact center's own grammar is
surer than the model here, so these places are read directly:

* a statement: "my name is …", "her maiden name was …", "the name on the account is …",
  "call me …", "she named him …";
* a form field: "Name: …", "Patient name: …" (a line of a record or a chat form);
* the answer to a name question: "what's your last name?" → "Customer: Boyle", in the rest of
  the asking turn ("… name on the account? User: Maja S Hermansen") or the next turns of the
  other speaker (the turns `callguard.detectors.conversation` follows for every cue rule);
* a title, a relative or a greeting before a capitalised word: "Dr. Walker", "my husband
  Jamal", "Thanks Wei, and your zip?" (never a common word: "Thanks Visa"; after a greeting
  only when the name ends the phrase);
* a weak statement: "this is maria calling", used only where the model found nothing;
* a place after a place cue: "i live in dayton", "moved to Tucson", "the clinic in Reno", or
  between a street address and its state: "4410 Alder Street, Boise, ID 83702".

Where a strong slot settles a word, the model need not read it (`callguard.nlp` leaves it out
of the windows it runs on).

A slot holds one to four name words: capitalised words with initials and particles ("Ján M.
Novák", "Willemine ten Pas"), or lower-case words (ASR) that are not common words and end the
phrase (followed by punctuation, the end of the turn, or "and", "calling", "from"...).

A slot lies in one line; its cue lies within `SLOT_REACH` of it. So a focused read-back finds
every slot of the lines it reads (`stated_slots` with spans) by looking for cues only within
that reach of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from callguard.detectors.cue_turns import ANSWER_LINES, answer_regions, utterances_near
from callguard.detectors.cues import fast, longest_match
from callguard.detectors.name_words import END, read_name
from callguard.detectors.ner_context import ADDRESS_CITY, address_cities
from callguard.detectors.ner_windows import EVERYWHERE, Spans, starts_in
from callguard.detectors.search import FastRegex
from callguard.document import Document
from callguard.focus import Reach, lines_within


@dataclass(frozen=True)
class Slot:
    """A stated name at [start, end) of the analysis text.

    `strong`: the grammar is sure ("my name is …"). `lower`: written in lower case, as ASR
    writes names; the model then read a word we title-cased, and its guess is weaker. `place`:
    a place ("i live in dayton"), not a name.
    """

    start: int
    end: int
    strong: bool
    lower: bool = False
    place: bool = False


_NAME_NOUN = r"(?:(?:full|first|last|middle|maiden|legal|given|family)\s{1,2})?(?:sur)?name"
_ASKED = (
    r"(?:his|her|their|your|the(?:\s{1,2}(?:patient|caller|member|child|baby)['’]s)?"
    r"|(?:patient|caller|member)['’]?s)"
)
_KIN_WORDS = (
    r"(?:husband|wife|partner|son|daughter|mother|mom|father|dad|child|kid|brother|sister"
    r"|caregiver|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|aunt|uncle"
    r"|niece|nephew|fiance|fiancee)"
)
_RELATIVE = rf"(?:my|his|her|their|your|our)\s{{1,2}}{_KIN_WORDS}['’]s"
_WHOSE = rf"(?:my|our|{_ASKED}|{_RELATIVE})"
_ON_FILE = (
    r"(?:\s{1,2}(?:on|for)\s{1,2}(?:the|this|that|your|my)\s{1,2}"
    r"(?:account|card|file|policy|prescription|order|claim))?"
)
# "my first name is John and last name is Doe": the second name's owner goes unsaid.
_AND_QUALIFIED = r"and\s{1,2}(?:first|last|middle|maiden|family|given)\s{1,2}(?:sur)?name"
_STATED = fast(
    re.compile(
        rf"(?<!\w)(?:{_WHOSE}\s{{1,2}}{_NAME_NOUN}|{_AND_QUALIFIED}){_ON_FILE}"
        r"(?:\s{1,2}(?:is|was)\b|['’]s)[\s,:]{1,3}",
        re.IGNORECASE,
    )
)
# Cues that also precede ordinary words ("call me back"): a capitalised name only.
_STATED_CASED = fast(
    re.compile(
        r"(?<!\w)(?:(?:call|calls|called)\s{1,2}me|go(?:es)?\s{1,2}by|named\s{1,2}(?:him|her|them))"
        r"[\s,:]{1,3}",
        re.IGNORECASE,
    )
)
_FIELD_OWNER = (
    r"(?:patient|full|first|last|legal|member|customer|caller|contact|guardian|subscriber"
    r"|cardholder|insured)"
)
_FIELD = fast(
    re.compile(
        rf"(?:^[ \t>*-]{{0,4}}|(?<=[\s,;|(])(?={_FIELD_OWNER}\s))(?:{_FIELD_OWNER}\s{{1,2}})?"
        r"name[ \t]{0,3}:[ \t]{0,8}",
        re.IGNORECASE | re.MULTILINE,
    )
)
_QUESTION = fast(
    re.compile(
        rf"(?<!\w)(?:{_ASKED}|and|what['’]s|what is)\s{{1,2}}{_NAME_NOUN}{_ON_FILE}"
        r"(?:,?\s{1,2}(?:please|again|for me))?\s{0,2}(?:\?|$)",
        re.IGNORECASE | re.MULTILINE,
    )
)
# A title or a greeting before a capitalised word: "Dr. Walker", "Thanks Wei, and your zip?".
_TITLE = fast(
    re.compile(r"(?<!\w)(?:mr|mrs|ms|miss|mx|dr|prof)\.?[ ]{1,2}(?=[A-Z])", re.IGNORECASE)
)
_GREETING = fast(
    re.compile(
        r"(?<!\w)(?:thanks|thank you|hi|hello|hey|bye|goodbye|welcome back),?[ ]{1,2}(?=[A-Z])",
        re.IGNORECASE,
    )
)
# A relative, then a capitalised name: "my husband Jamal picks it up", "for my mother, Linda".
_KIN = fast(
    re.compile(
        rf"(?<!\w)(?:my|his|her|our|their)[ ]{{1,2}}{_KIN_WORDS},?[ ]{{1,2}}(?=[A-Z])",
        re.IGNORECASE,
    )
)
_SPELLING = re.compile(r"\bspell(?:ing)?\b(?!.*\n)", re.IGNORECASE)
_PLACE = fast(
    re.compile(
        r"(?<!\w)(?:(?:live|lives|living|lived|moved|moving|located|based)[ ]{1,2}(?:in|to)"
        r"|(?:clinic|hospital|office|pharmacy)[ ]{1,2}in|(?:city|town|county)[ ]{1,2}of)[ ]{1,2}",
        re.IGNORECASE,
    )
)
_WEAK = fast(re.compile(r"(?<!\w)this\s{1,2}is[ ,]{1,3}", re.IGNORECASE))
_WEAK_END = re.compile(
    r",?[ ]{1,2}(?:calling|speaking|here|from|with|on the line)\b|,[ ]{1,2}(?:how|what)\b",
    re.IGNORECASE,
)

# What an answer may say before the name: "Customer:", "yeah, it's", "um, the name is".
_ANSWER_OPENING = re.compile(
    r"[\s?.!,]{0,6}(?:[^\W\d][\w'.-]{0,30}(?: [\w'.-]{1,30}){0,2}:[ \t]{1,8})?"
    r"(?:(?:yes|yeah|yep|sure|okay|ok|um+|uh+|so|it['’]s|it is|its|that['’]s|that is"
    r"|my name is|my name['’]s|name['’]s|the name is|i['’]m|i am|this is|under)[,.]?\s{1,3}){0,4}",
    re.IGNORECASE,
)


def stated_slots(
    document: Document, quiet: frozenset[str], spans: Spans = EVERYWHERE
) -> list[Slot]:
    """Every name and place slot starting in `spans` (whole lines: a focused read-back's);
    `quiet` words (common and stop words) are not names.

    A cue lies within `SLOT_REACH` of its slot, so only the lines within that reach of the
    spans are searched for cues: every slot of the spans is found, as a whole reading finds it.
    """
    text = document.text
    if spans is EVERYWHERE or SLOT_REACH is None:
        cues = EVERYWHERE
    else:
        cues = lines_within(text, spans, SLOT_REACH)
    slots = stated_names(document, quiet, cues) + stated_places(text, quiet, cues)
    if spans is EVERYWHERE:
        return slots
    return [slot for slot in slots if starts_in(slot.start, spans)]


def stated_names(document: Document, quiet: frozenset[str], cues: Spans = EVERYWHERE) -> list[Slot]:
    """The name slots whose cues start in `cues`; `quiet` words are not names."""
    text = document.text
    slots = [Slot(*span, True) for span in _after(_STATED, text, quiet, cues, lower=True)]
    slots += [Slot(*span, True) for span in _after(_STATED_CASED, text, quiet, cues, lower=False)]
    slots += [Slot(*span, True) for span in _after(_FIELD, text, quiet, cues, lower=True)]
    slots += [Slot(*span, True) for span in _answers(document, quiet, cues)]
    slots += [Slot(*span, True) for span in _after(_TITLE, text, quiet, cues, lower=False)]
    for found in _GREETING.finditer_in(text, cues):
        span = read_name(text, found.end(), len(text), quiet, lower=False, strict=True)
        if span is not None and END.match(text, span[1]):
            slots.append(Slot(*span, True))
    for found in _KIN.finditer_in(text, cues):
        span = read_name(text, found.end(), len(text), quiet, lower=False, strict=True)
        if span is not None:
            slots.append(Slot(*span, True))
    for found in _WEAK.finditer_in(text, cues):
        span = read_name(text, found.end(), len(text), quiet, lower=True)
        if span is not None and _WEAK_END.match(text, span[1]):
            slots.append(Slot(*span, strong=False, lower=text[span[0]].islower()))
    return slots


def stated_places(text: str, quiet: frozenset[str], cues: Spans = EVERYWHERE) -> list[Slot]:
    """Places after a place cue ("i live in dayton", "moved to Tucson", "the clinic in Reno")
    and cities between a street address and its state, their cues starting in `cues`."""
    slots = [
        Slot(*span, True, place=True) for span in _after(_PLACE, text, quiet, cues, lower=True)
    ]
    for low, high in cues:
        for start, end in address_cities(text, low, high):
            span = read_name(text, start, end, quiet, lower=True)
            if span == (start, end):
                slots.append(Slot(start, end, True, place=True))
    return slots


def _after(
    cue: FastRegex, text: str, quiet: frozenset[str], cues: Spans, *, lower: bool
) -> Iterator[tuple[int, int]]:
    """The name right after each cue match starting in `cues`, if one is there."""
    for found in cue.finditer_in(text, cues):
        span = read_name(text, found.end(), len(text), quiet, lower=lower)
        if span is not None:
            yield span


def _answers(document: Document, quiet: frozenset[str], cues: Spans) -> Iterator[tuple[int, int]]:
    """Names said in answer to a name question, in its turn or the next turns of the other."""
    text = document.text
    for question in _QUESTION.finditer_in(text, cues):
        if _SPELLING.search(text, max(0, question.start() - _SPELLING_CHARS), question.start()):
            continue  # "can you spell your last name?": the spelled letters are HIPAA035's
        turns = utterances_near(document, question.end())
        for start, end in answer_regions(document, turns, question.end(), reach=_ANSWER_CHARS):
            opening = _ANSWER_OPENING.match(text, start, end)
            span = read_name(text, opening.end() if opening else start, end, quiet, lower=True)
            if span is not None and _is_whole_answer(text, span[1], end):
                yield span
                break


# How far an answer to a name question may run in the question's own turn, and how far
# before the question "spell" makes it a spelling request (HIPAA035's).
_ANSWER_CHARS = 80
_SPELLING_CHARS = 24


def _slot_reach() -> Reach | None:
    """How far a slot's cue can lie from the slot: the longest cue a name follows, or a name
    question, the text before it that may ask for spelling and the answer's `_ANSWER_CHARS`
    (a question outside every turn, or its own turn's rest, may cross lines), or the
    `ANSWER_LINES` lines a following turn's answer may be in. None if a cue is unbounded."""
    after = (_STATED, _STATED_CASED, _FIELD, _TITLE, _GREETING, _KIN, _WEAK, _PLACE, ADDRESS_CITY)
    widths = [longest_match(cue.regex) for cue in (*after, _QUESTION)]
    if any(width is None for width in widths):
        return None
    *cue_widths, question = (int(width or 0) for width in widths)
    answer = _SPELLING_CHARS + question + _ANSWER_CHARS
    return Reach(chars=max(*cue_widths, answer), lines=ANSWER_LINES)


def _is_whole_answer(text: str, stop: int, end: int) -> bool:
    """The name ends the answer or its clause: "Boyle", "Boyle, B O Y L E", not "Boyle Street"."""
    found = END.match(text, stop, end)
    return found is not None or not text[stop:end].strip()


SLOT_REACH = _slot_reach()
