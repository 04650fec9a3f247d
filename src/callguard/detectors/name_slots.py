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
* a place after a place cue: "i live in dayton", "moved to Tucson", "the clinic in Reno".

Where a strong slot settles a word, the model need not read it (`callguard.nlp` leaves it out
of the windows it runs on).

A slot holds one to four name words: capitalised words with initials and particles ("Ján M.
Novák", "Willemine ten Pas"), or lower-case words (ASR) that are not common words and end the
phrase (followed by punctuation, the end of the turn, or "and", "calling", "from"...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from callguard.detectors.conversation import answer_regions, utterances_near
from callguard.detectors.cues import fast
from callguard.detectors.search import FastRegex
from callguard.document import Document


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
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_])){0,40}\.?")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PARTICLES = _words("van von der den de del della di da dos du la le ten ter bin al el")
# Capitalised words that fill a name slot without being a name ("Name: Unknown").
_NOT_NAMES = _words(
    "the a an and or but not no none unknown same is was it this that yes okay ok sorry please na"
)
_END = re.compile(
    r"[ \t]{0,2}(?:[,.!?;:)\"]|$|(?:and|but|calling|speaking|here|from|with|i|i['’]m|on the)\b)",
    re.IGNORECASE | re.MULTILINE,
)


def stated_names(document: Document, quiet: frozenset[str]) -> list[Slot]:
    """Every name slot of the document; `quiet` words (common and stop words) are not names."""
    text = document.text
    slots = [Slot(*span, True) for span in _after(_STATED, text, quiet, lower=True)]
    slots += [Slot(*span, True) for span in _after(_STATED_CASED, text, quiet, lower=False)]
    slots += [Slot(*span, True) for span in _after(_FIELD, text, quiet, lower=True)]
    slots += [Slot(*span, True) for span in _answers(document, quiet)]
    slots += [Slot(*span, True) for span in _after(_TITLE, text, quiet, lower=False)]
    for found in _GREETING.finditer(text):
        span = read_name(text, found.end(), len(text), quiet, lower=False, strict=True)
        if span is not None and _END.match(text, span[1]):
            slots.append(Slot(*span, True))
    for found in _KIN.finditer(text):
        span = read_name(text, found.end(), len(text), quiet, lower=False, strict=True)
        if span is not None:
            slots.append(Slot(*span, True))
    for found in _WEAK.finditer(text):
        span = read_name(text, found.end(), len(text), quiet, lower=True)
        if span is not None and _WEAK_END.match(text, span[1]):
            slots.append(Slot(*span, strong=False, lower=text[span[0]].islower()))
    return slots


def stated_places(text: str, quiet: frozenset[str]) -> list[Slot]:
    """Places after a place cue ("i live in dayton", "moved to Tucson", "the clinic in Reno")."""
    return [Slot(*span, True, place=True) for span in _after(_PLACE, text, quiet, lower=True)]


def _after(
    cue: FastRegex, text: str, quiet: frozenset[str], *, lower: bool
) -> Iterator[tuple[int, int]]:
    """The name right after each cue match, if one is there."""
    for found in cue.finditer(text):
        span = read_name(text, found.end(), len(text), quiet, lower=lower)
        if span is not None:
            yield span


def _answers(document: Document, quiet: frozenset[str]) -> Iterator[tuple[int, int]]:
    """Names said in answer to a name question, in its turn or the next turns of the other."""
    text = document.text
    for question in _QUESTION.finditer(text):
        if _SPELLING.search(text, max(0, question.start() - 24), question.start()):
            continue  # "can you spell your last name?": the spelled letters are HIPAA035's
        turns = utterances_near(document, question.end())
        for start, end in answer_regions(document, turns, question.end(), reach=80):
            opening = _ANSWER_OPENING.match(text, start, end)
            span = read_name(text, opening.end() if opening else start, end, quiet, lower=True)
            if span is not None and _is_whole_answer(text, span[1], end):
                yield span
                break


def _is_whole_answer(text: str, stop: int, end: int) -> bool:
    """The name ends the answer or its clause: "Boyle", "Boyle, B O Y L E", not "Boyle Street"."""
    found = _END.match(text, stop, end)
    return found is not None or not text[stop:end].strip()


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
        if _END.match(text, _stop(words[length - 1])):
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
