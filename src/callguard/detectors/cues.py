"""Cue phrases of the conversation rules: one `re` regex, and an RE2 prefilter that finds them fast.

A cue rule (`detector: digits_answer`, `id_answer`, `spelled_answer`, `person_date`) lists its
cue phrases as regex fragments. The exact regex needs lookarounds (whole words), which RE2 lacks;
Python's `re` runs it at a few MB/s over a whole call, once per rule. So each rule also gets an
RE2 prefilter: the same fragments without their lookarounds, and the rest of the line after them
(a longer cue that shares a shorter one's start, "zip" and "zipcode", still fits in the hit).
The exact regex runs only inside its hits; the cues alone are the rule's `trigger` (a call
without any of the rule's cues skips the rule, see `callguard.detectors.search.RuleGate`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from typing import Any

from callguard.detectors.search import FastRegex

# How far past the start of a cue the prefilter hit reaches: longer than any cue phrase.
_TAIL = r"[^\n]{0,60}"


def compile_cues(options: Mapping[str, Any]) -> re.Pattern[str]:
    """One case-insensitive regex of the rule's cue phrases (regex fragments, whole words)."""
    cues = options["cues"]
    if not isinstance(cues, list) or not cues or not all(isinstance(c, str) for c in cues):
        raise ValueError("`cues` must be a non-empty list of regex fragments")
    try:
        return re.compile(r"(?<!\w)(?:" + "|".join(cues) + r")(?!\w)", re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"a cue is not a valid regex: {exc}") from None


def cue_prefilter(cues: list[str], *, tail: bool = True) -> str | None:
    """The RE2 prefilter of the cue fragments, or None if RE2 cannot read them.

    `tail=False` gives the cues alone: the rule's trigger, one of many RE2 patterns the rule
    gate searches as a set (a bounded tail in each would blow up the set's automaton).
    """
    pattern = "(?i)(?:" + "|".join(without_lookarounds(cue) for cue in cues) + ")"
    pattern += _TAIL if tail else ""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        return None
    try:
        re2.compile(pattern)
        re.compile(pattern)  # FastRegex keeps `re` as the fallback for non-UTF-8 text
    except Exception:  # re2 raises its own error types: no prefilter then
        return None
    return pattern


def cue_search(options: Mapping[str, Any]) -> tuple[FastRegex, str | None]:
    """The cue regex searched through its RE2 prefilter, and the rule's RE2 trigger."""
    regex = compile_cues(options)
    cues = list(options["cues"])
    return FastRegex(regex, cue_prefilter(cues)), cue_prefilter(cues, tail=False)


def longest_match(regex: re.Pattern[str]) -> int | None:
    """The most characters `regex` can match (lookarounds not counted), None if unbounded.

    A rule's `Reach` is built from it: how far a cue can lie before what it decides. The
    standard library's own regex parser knows the width; where it cannot be imported, or a
    quantifier is unbounded, the answer is None and the rule reads the whole text.
    """
    for name in ("re._parser", "sre_parse"):  # Python 3.11+, then 3.10
        try:
            parser: Any = importlib.import_module(name)
        except ImportError:  # pragma: no cover - one of the two always exists
            continue
        width = int(parser.parse(regex.pattern, regex.flags).getwidth()[1])
        return width if width < _UNBOUNDED else None
    return None  # pragma: no cover


# `getwidth` caps an unbounded width at the largest repeat count (2**32 - 1 or so).
_UNBOUNDED = 1 << 20


def fast(regex: re.Pattern[str]) -> FastRegex:
    """`regex` searched through an RE2 prefilter made from it (no prefilter if RE2 cannot)."""
    flags = "".join(f for f, bit in (("i", re.I), ("m", re.M), ("s", re.S)) if regex.flags & bit)
    prefilter = (f"(?{flags})" if flags else "") + without_lookarounds(regex.pattern)
    try:
        import re2

        re2.compile(prefilter)
    except Exception:  # re2 raises its own error types (or is missing): no prefilter then
        return FastRegex(regex, None)
    return FastRegex(regex, prefilter)


def without_lookarounds(pattern: str) -> str:
    """`pattern` without lookarounds and word boundaries: a superset of its matches."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
            index = _group_end(pattern, index)
            continue
        step = 2 if pattern[index] == "\\" else 1
        if pattern[index : index + step] != "\\b":
            out.append(pattern[index : index + step])
        index += step
    return "".join(out)


def _group_end(pattern: str, start: int) -> int:
    """The index just past the group opening at `start` (escapes and classes respected)."""
    depth, index, in_class = 0, start, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return len(pattern)
