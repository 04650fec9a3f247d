"""Round trips per format: read -> redact -> write -> read again.

The output must be the same format (JSON valid with the same keys and list lengths, caption
timings and word timings unchanged, JSON Lines line for line, text line for line, gzip kept)
and no finding of a redacted type, and no test card number, may be left.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest

from callguard.formats import read_documents
from callguard.redaction import Redactor

from .conftest import FIXTURES, ROOT, holds_test_pan

_CUE_TIMING = re.compile(r"^.*-->.*$", re.MULTILINE)


def shape(value: Any) -> Any:
    """Everything but the text of strings: keys, list lengths, numbers, booleans, nulls."""
    if isinstance(value, dict):
        return {key: shape(child) for key, child in value.items()}
    if isinstance(value, list):
        return [shape(child) for child in value]
    return "<str>" if isinstance(value, str) else value


def leftovers(redactor: Redactor, path: str, data: bytes) -> list[str]:
    """Rule ids still found in `data` (mirror copies included)."""
    found = []
    for document in read_documents(path, data, redactor.scanner.format_options):
        found += [f.rule_id for f in redactor.scanner.scan_document(document, keep_mirrors=True)]
    return found


def assert_same_structure(path: Path, before: bytes, after: bytes) -> None:
    old, new = before.decode("utf-8"), after.decode("utf-8")
    name = path.name.removesuffix(".gz")
    if name.endswith(".jsonl"):
        old_lines, new_lines = old.splitlines(), new.splitlines()
        assert len(old_lines) == len(new_lines)
        for line_before, line_after in zip(old_lines, new_lines, strict=True):
            if line_before.strip():
                assert shape(json.loads(line_before)) == shape(json.loads(line_after))
    elif name.endswith(".json"):
        assert shape(json.loads(old)) == shape(json.loads(new))
    else:
        assert len(old.splitlines()) == len(new.splitlines())
    if name.endswith((".vtt", ".srt")):
        assert _CUE_TIMING.findall(old) == _CUE_TIMING.findall(new)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.parametrize("which", ["pci_redactor", "token_redactor"])
def test_round_trip_keeps_format_and_leaves_nothing(
    path: Path, which: str, request: pytest.FixtureRequest
) -> None:
    redactor: Redactor = request.getfixturevalue(which)
    data = path.read_bytes()
    result = redactor.redact_bytes(data, path=str(path))
    assert_same_structure(path, data, result.data)
    assert leftovers(redactor, str(path), result.data) == []
    assert not holds_test_pan(result.data.decode("utf-8"))
    if not result.findings:
        assert result.data == data


def test_gzip_in_gzip_out(pci_redactor: Redactor) -> None:
    path = ROOT / "tests/fixtures/formats/aws-transcribe/bill-payment-diarized.json"
    data = gzip.compress(path.read_bytes())
    result = pci_redactor.redact_bytes(data, path="call.json.gz")
    assert result.data[:2] == b"\x1f\x8b"
    plain = gzip.decompress(result.data)
    assert_same_structure(path, path.read_bytes(), plain)
    assert not holds_test_pan(plain.decode())


def test_aws_items_and_transcript_mirror_both_redacted(pci_redactor: Redactor) -> None:
    path = ROOT / "tests/fixtures/formats/aws-transcribe/bill-payment-diarized.json"
    before = json.loads(path.read_bytes())
    after = json.loads(pci_redactor.redact_bytes(path.read_bytes(), path=str(path)).data)
    transcript = after["results"]["transcripts"][0]["transcript"]
    assert "[CREDIT_CARD]" in transcript
    old_items, new_items = before["results"]["items"], after["results"]["items"]
    changed = [
        new
        for old, new in zip(old_items, new_items, strict=True)
        if old["alternatives"][0]["content"] != new["alternatives"][0]["content"]
    ]
    assert len(changed) >= 2  # the number was read out over several word items
    assert all(item["alternatives"][0]["content"] == "[CREDIT_CARD]" for item in changed)
    for old, new in zip(old_items, new_items, strict=True):
        assert (old.get("start_time"), old.get("end_time")) == (
            new.get("start_time"),
            new.get("end_time"),
        )


def test_json_escapes_in_the_number_are_replaced_whole(pci_redactor: Redactor) -> None:
    raw = '[{"author": "customer", "text": "card \\u0034111 1111 1111 1111 \\"ok\\""}]'
    result = pci_redactor.redact_bytes(raw.encode(), path="chat.json")
    messages = json.loads(result.data)
    assert messages[0]["text"] == 'card [CREDIT_CARD] "ok"'


def test_partial_shows_at_most_first_six_and_last_four() -> None:
    redactor = Redactor(profile="pci", strategy="partial")
    path = ROOT / "tests/fixtures/formats/aws-transcribe/bill-payment-diarized.json"
    after = json.loads(redactor.redact_bytes(path.read_bytes(), path=str(path)).data)
    transcript = after["results"]["transcripts"][0]["transcript"]
    assert "4111 11** **** 1111" in transcript
    pieces = [item["alternatives"][0]["content"] for item in after["results"]["items"]]
    assert pieces[pieces.index("4111") : pieces.index("4111") + 4] == [
        "4111",
        "11**",
        "****",
        "1111",
    ]


def test_huge_text_windows_are_redacted_at_absolute_offsets() -> None:
    import dataclasses

    redactor = Redactor(profile="pci", strategy="mask")
    options = dataclasses.replace(redactor.scanner.format_options, window_chars=2048)
    redactor.scanner._format_options = options  # small windows, so a short text has many
    line = "Customer: my card is 4111 1111 1111 1111 thanks\n"
    filler = "Agent: thank you for calling, how can I help today with your order?\n"
    text = "".join(line if i % 7 == 3 else filler for i in range(400))
    result = redactor.redact_bytes(text.encode(), path="big.log")
    out = result.data.decode()
    assert len(out) == len(text)
    assert out == text.replace("4111 1111 1111 1111", "#### #### #### ####")
    assert result.replacements == text.count("4111 1111")
