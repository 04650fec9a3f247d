"""Audio time ranges to silence: where in the recording each redacted piece was said.

A transcript redacted on disk still leaves the number in the recording. Each redacted piece
with audio times (a word item, a caption cue) gives a range; ranges are padded by a margin (ASR
word times are approximate, and a digit's sound runs past its end time), clipped at zero and
merged, per speaker or channel where the transcript names one, and over all speakers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from callguard.model import Finding

# Formats whose times are positions in an audio recording (chat time stamps are not).
AUDIO_FORMATS = frozenset(
    {
        "aws-transcribe",
        "aws-call-analytics",
        "deepgram",
        "assemblyai",
        "whisper",
        "google-stt",
        "webvtt",
        "srt",
    }
)

Timed = tuple[float | None, float | None, str | None]
Range = tuple[float, float]


def merge_ranges(ranges: Iterable[Range], margin: float) -> list[Range]:
    """Pad each range by `margin` on both sides, clip at 0, merge overlapping or touching ones."""
    padded = sorted((max(0.0, start - margin), end + margin) for start, end in ranges)
    merged: list[Range] = []
    for start, end in padded:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def mute_plan(
    timed: Iterable[Timed], *, source: str, margin: float, untimed: int
) -> dict[str, Any]:
    """The `<name>.mute.json` content: ranges for all channels and per speaker, plus a filter."""
    spans: list[tuple[Range, str | None]] = []
    for start, end, speaker in timed:
        first = start if start is not None else end
        last = end if end is not None else start
        if first is not None and last is not None:
            spans.append(((first, max(first, last)), speaker))
    everything = merge_ranges((span for span, _ in spans), margin)
    speakers = sorted({speaker for _, speaker in spans if speaker is not None})
    by_speaker = {
        name: _rounded(merge_ranges((s for s, who in spans if who == name), margin))
        for name in speakers
    }
    return {
        "version": 1,
        "source": source,
        "margin_seconds": margin,
        "ranges": _rounded(everything),
        "by_speaker": by_speaker,
        "untimed_redactions": untimed,
        "ffmpeg_filter": ffmpeg_filter(everything),
    }


def ffmpeg_filter(ranges: list[Range]) -> str:
    """An ffmpeg audio filter silencing `ranges` (empty text when there is nothing to mute)."""
    if not ranges:
        return ""
    terms = "+".join(f"between(t,{r['start']:.3f},{r['end']:.3f})" for r in _rounded(ranges))
    return f"volume=enable='{terms}':volume=0"


def _rounded(ranges: list[Range]) -> list[dict[str, float]]:
    """Milliseconds, rounded outwards, so a rounded range still covers the exact one."""
    return [
        {"start": math.floor(start * 1000) / 1000, "end": math.ceil(end * 1000) / 1000}
        for start, end in ranges
    ]


def needs_muting(plan: dict[str, Any] | None) -> bool:
    """True if a mute plan asks for something: ranges to silence, or untimed values to check."""
    return plan is not None and bool(plan["ranges"] or plan["untimed_redactions"])


def untimed_count(findings: list[Finding]) -> int:
    """Findings with no audio time whose value was not found anywhere timed: check by hand."""

    def is_timed(finding: Finding) -> bool:
        return any(
            loc.audio_start is not None or loc.audio_end is not None for loc in finding.locations
        )

    timed = {finding.fingerprint for finding in findings if is_timed(finding)}
    return sum(1 for f in findings if not is_timed(f) and f.fingerprint not in timed)
