"""The Scanner: selection, suppression, allow-lists, merging, and mapping back to raw places."""

from __future__ import annotations

import hashlib
import re

import pytest

from callguard import Config, Scanner
from callguard.document import DocumentBuilder, RawString
from callguard.errors import ConfigError
from callguard.model import Severity

CALL = (
    "Agent: Thanks for calling, can I take the card number?\n"
    "Customer: yes it's 4111 1111 1111 1111\n"
    "Agent: and the card ending in 1111 expires when?\n"
)


def test_line_and_column_point_at_the_number() -> None:
    (finding,) = Scanner(profile="pci").scan_text(CALL)
    location = finding.location
    assert (location.start_line, location.start_column) == (2, 20)
    assert (location.end_line, location.end_column) == (2, 39)
    assert (
        CALL[location.char_offset : location.char_offset + location.char_length]
        == "4111 1111 1111 1111"
    )


def test_crlf_and_bom_count_in_offsets() -> None:
    text = "\ufeffAgent: hi\r\nCustomer: 5555555555554444\r\n"
    (finding,) = Scanner(profile="pci").scan_text(text)
    assert finding.location.char_offset == text.index("5555")
    assert (finding.location.start_line, finding.location.start_column) == (2, 11)


@pytest.mark.parametrize(
    "comment",
    [
        "# callguard: ignore",
        "// callguard: ignore[PCI001] test fixture card",
        "<!-- callguard: ignore[PCI002, PCI001] -->",
    ],
)
def test_inline_suppression_on_line_or_line_above(comment: str) -> None:
    scanner = Scanner(profile="pci")
    same_line = f"card 4111111111111111 {comment}\n"
    line_above = f"{comment}\ncard 4111111111111111\n"
    assert scanner.scan_text(same_line) == []
    assert scanner.scan_text(line_above) == []


def test_suppression_for_another_rule_does_not_hide_the_finding() -> None:
    text = "# callguard: ignore[HIPAA001]\ncard 4111111111111111\n"
    assert len(Scanner(profile="pci").scan_text(text)) == 1


def test_suppression_two_lines_above_does_not_apply() -> None:
    text = "# callguard: ignore\n\ncard 4111111111111111\n"
    assert len(Scanner(profile="pci").scan_text(text)) == 1


def test_allow_list_drops_matching_values() -> None:
    config = Config(allow=(re.compile(r"^4111111111111111$"),))
    scanner = Scanner(profile="pci", config=config)
    findings = scanner.scan_text("4111 1111 1111 1111 and 5555 5555 5555 4444")
    assert [f.preview for f in findings] == ["555555******4444"]


def test_severity_override_and_disable() -> None:
    lowered = Scanner(config=Config(severity={"PCI001": Severity.NOTE}))
    (finding,) = lowered.scan_text("4111111111111111")
    assert finding.severity is Severity.NOTE
    assert Scanner(config=Config(disable=("PCI001",))).scan_text("4111111111111111") == []


def test_unknown_rule_id_in_config_is_an_error() -> None:
    with pytest.raises(ConfigError, match="unknown rule id"):
        Scanner(config=Config(disable=("PCI999",)))


def test_profile_selects_rules() -> None:
    assert {meta.id for meta in Scanner(profile="pci").rules} >= {"PCI001"}
    assert all("hipaa" in meta.profiles for meta in Scanner(profile="hipaa").rules)


def test_min_confidence_filters_weak_matches() -> None:
    scanner = Scanner(profile="pci", config=Config(min_confidence=0.5))
    assert scanner.scan_text("order reference 4111111111111111") == []
    assert len(scanner.scan_text("card 4111111111111111")) == 1


def test_fingerprint_is_keyed_stable_and_value_based() -> None:
    scanner = Scanner(profile="pci")
    (a,) = scanner.scan_text("4111 1111 1111 1111")
    (b,) = scanner.scan_text("card: 4111-1111-1111-1111")
    (c,) = scanner.scan_text("5555555555554444")
    assert a.fingerprint == b.fingerprint != c.fingerprint
    assert len(a.fingerprint) == 32
    # Keyed: not the plain hash an attacker could brute-force over the issuer range.
    assert a.fingerprint != hashlib.sha256(b"4111111111111111").hexdigest()[:32]


def test_a_number_split_across_segments_is_one_finding_with_each_piece() -> None:
    raw = '{"w": ["4111", "1111", "1111", "1111"]}'
    builder = DocumentBuilder("words.json", "test", raw)
    builder.start_turn(speaker="spk_1")
    for index, word in enumerate(("4111", "1111", "1111", "1111")):
        start = raw.index(f'"{word}"', 7 + index * 8) + 1
        if index:
            builder.add_separator(" ")
        builder.add(
            word,
            RawString(start, start + 4),
            json_pointer=f"/w/{index}",
            audio_start=index * 0.5,
            audio_end=index * 0.5 + 0.4,
        )
    (finding,) = Scanner(profile="pci").scan_document(builder.build())
    assert [loc.json_pointer for loc in finding.locations] == ["/w/0", "/w/1", "/w/2", "/w/3"]
    assert [
        raw[loc.char_offset : loc.char_offset + loc.char_length] for loc in finding.locations
    ] == ["4111", "1111", "1111", "1111"]
    assert finding.locations[3].audio_end == pytest.approx(1.9)
    assert {loc.speaker for loc in finding.locations} == {"spk_1"}
