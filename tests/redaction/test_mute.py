"""The mute sidecar: padded, merged ranges covering every redacted word's audio times."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from callguard.redaction import Redactor
from callguard.redaction.mute import ffmpeg_filter, merge_ranges

from .conftest import ROOT

TIMED = [
    ROOT / "tests/fixtures/formats/aws-transcribe/bill-payment-diarized.json",
    ROOT / "tests/fixtures/formats/aws-transcribe/balance-two-channel.json",
]


def item_pairs(before: dict[str, Any], after: dict[str, Any]) -> Iterator[tuple[Any, Any, Any]]:
    """(old item, new item, speaker or channel) of a batch job, one list or per channel."""
    old_results, new_results = before["results"], after["results"]
    if "items" in old_results:
        for old, new in zip(old_results["items"], new_results["items"], strict=True):
            yield old, new, old.get("speaker_label")
        return
    channels = zip(
        old_results["channel_labels"]["channels"],
        new_results["channel_labels"]["channels"],
        strict=True,
    )
    for old_channel, new_channel in channels:
        for old, new in zip(old_channel["items"], new_channel["items"], strict=True):
            yield old, new, old.get("channel_label", old_channel["channel_label"])


def test_merge_pads_clips_and_joins() -> None:
    assert merge_ranges([(0.1, 0.2), (0.5, 0.6), (3.0, 3.5)], 0.25) == [
        (0.0, 0.85),
        (2.75, 3.75),
    ]
    assert ffmpeg_filter([(1.0, 2.0)]) == "volume=enable='between(t,1.000,2.000)':volume=0"


@pytest.mark.parametrize("path", TIMED, ids=lambda p: p.name)
@pytest.mark.parametrize("margin", [0.0, 0.25])
def test_ranges_cover_every_redacted_word(path: Path, margin: float) -> None:
    redactor = Redactor(profile="pci", strategy="tag", margin=margin)
    result = redactor.redact_bytes(path.read_bytes(), path=str(path))
    assert result.mute is not None
    redacted = [
        (float(old["start_time"]), float(old["end_time"]), speaker)
        for old, new, speaker in item_pairs(json.loads(path.read_bytes()), json.loads(result.data))
        if old["alternatives"] != new["alternatives"] and "start_time" in old
    ]
    assert redacted
    for start, end, speaker in redacted:
        assert any(r["start"] <= start and end <= r["end"] for r in result.mute["ranges"])
        if speaker is not None:
            ranges = result.mute["by_speaker"][speaker]
            assert any(r["start"] <= start and end <= r["end"] for r in ranges)
        if margin:
            assert any(r["start"] <= start - margin for r in result.mute["ranges"])


def test_caption_cues_give_ranges_and_chats_none() -> None:
    redactor = Redactor(profile="pci", strategy="tag")
    vtt = ROOT / "tests/fixtures/formats/webvtt/renewal-call.vtt"
    assert redactor.redact_bytes(vtt.read_bytes(), path=str(vtt)).mute["ranges"]  # type: ignore[index]
    chat = ROOT / "tests/fixtures/formats/chat/web-chat.json"
    assert redactor.redact_bytes(chat.read_bytes(), path=str(chat)).mute is None
