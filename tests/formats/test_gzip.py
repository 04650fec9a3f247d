"""Gzip: every format reads the same compressed; corrupt data and bombs are InputErrors."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from callguard.errors import InputError
from callguard.formats import FormatOptions, read_documents

FIXTURES = Path(__file__).parent.parent / "fixtures" / "formats"
MINE = ["text", "webvtt", "srt", "chat", "slack"]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, id=f"{p.parent.name}/{p.name}")
        for d in MINE
        for p in sorted((FIXTURES / d).iterdir())
    ],
)
def test_compressed_fixture_reads_like_the_original(path: Path) -> None:
    plain = list(read_documents(str(path), path.read_bytes()))
    packed = list(read_documents(f"{path}.gz", gzip.compress(path.read_bytes())))
    assert [d.format for d in packed] == [d.format for d in plain]
    for before, after in zip(plain, packed, strict=True):
        assert after.text == before.text
        assert after.turns == before.turns
        assert after.locate(0, len(after.text)) == before.locate(0, len(before.text))


def test_json_gz_by_name_and_content() -> None:
    data = gzip.compress(b'[{"type": "message", "user": "U1", "text": "hi", "ts": "1.0"}]')
    (doc,) = read_documents("export/general/2024-05-01.json.gz", data)
    assert (doc.format, doc.text, doc.turns[0].speaker) == ("slack", "hi\nmessage\nU1", "U1")


def test_corrupt_gzip_is_an_input_error() -> None:
    data = gzip.compress(b"Agent: hello\n" * 100)[:40]
    with pytest.raises(InputError, match=r"^calls/a\.txt\.gz: corrupt gzip data"):
        list(read_documents("calls/a.txt.gz", data))


def test_decompression_limit() -> None:
    data = gzip.compress(b"0" * (3 * 1024 * 1024))
    with pytest.raises(InputError, match="decompresses to more than 1048576 bytes"):
        list(read_documents("bomb.txt.gz", data, FormatOptions(max_decompressed_bytes=1024 * 1024)))
