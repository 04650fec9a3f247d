"""What the vendor-reader tests share: fixture places and how they look at a Document."""

from __future__ import annotations

from pathlib import Path

import pytest

from callguard.document import Document
from callguard.formats import read_documents
from callguard.model import Location

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "external" / "transcripts"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason="vendor samples live outside the repo, in shared/external"
)


def read(path: Path, data: bytes | None = None) -> Document:
    """The one Document of a fixture (or of `data` read as if it were that file)."""
    (doc,) = read_documents(str(path), path.read_bytes() if data is None else data)
    return doc


def find(doc: Document, needle: str, nth: int = 0) -> list[Location]:
    """Raw locations of the `nth` occurrence of `needle` in the analysis text."""
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(needle, start + 1)
    return doc.locate(start, start + len(needle))


def raw(doc: Document, location: Location) -> str:
    """The raw text a location points at."""
    return doc.raw_text[location.char_offset : location.char_offset + location.char_length]


def facts(doc: Document, locations: list[Location]) -> list[tuple[object, ...]]:
    """(raw text, pointer, speaker, audio start, audio end) of each location."""
    return [
        (raw(doc, loc), loc.json_pointer, loc.speaker, loc.audio_start, loc.audio_end)
        for loc in locations
    ]
