"""Fast searching: RE2 finds where a backtracking `re` regex can match, `re` checks there.

Python's `re` runs at 15-30 MB/s on contact-center text, RE2 at several hundred. Rules keep the
exact `re` regex (lookarounds for word and digit boundaries, which RE2 lacks) and add a
lookaround-free RE2 *prefilter* whose every hit contains any match of the full regex. The full
regex then runs only inside those hits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

Span = tuple[int, int]

# How far past a prefilter hit the full regex may look (its lookaheads).
LOOKAHEAD = 8
# How far past `last_start` a match starting by it is seen. Far more than any prefilter hit,
# seed or prompt needs to match (PCI001's longest hit is 199 characters); a hit cut here
# still starts where it starts, and FastRegex matches the full regex past the cut.
TAIL = 1024


class RE2Spans:
    """Spans of an RE2 regex, with an equivalent `re` regex as the fallback.

    ASCII text is searched as bytes, where RE2's byte offsets are character offsets: the
    wrapper's offset conversion for `str` input costs more than the search itself. Text holding
    lone surrogates (undecodable input bytes kept by `surrogateescape`) cannot be UTF-8 encoded
    and goes to the fallback.
    """

    def __init__(self, pattern: str, fallback: re.Pattern[str]) -> None:
        self._fallback = fallback
        try:
            import re2
        except ImportError:  # pragma: no cover - google-re2 is a dependency
            self._text: Any = None
            self._data: Any = None
            self._match_bytes: Callable[[bytes, int, int], Any] | None = None
            return
        self._text = re2.compile(pattern)
        self._data = re2.compile(pattern.encode("utf-8"))
        self._match_bytes = _raw_matcher(re2, self._data)

    def spans(
        self, text: str, start: int = 0, end: int | None = None, *, last_start: int | None = None
    ) -> list[Span]:
        """[start, end) of every match in text[start:end], leftmost first, in text offsets;
        with `last_start`, only the matches starting at or before it, seen up to `TAIL`
        characters past it (a search for the next match must not run to the end of the text
        for each of the many short stretches a focused read-back reads)."""
        stop = len(text) if end is None else end
        limit = stop if last_start is None else last_start
        if last_start is not None:
            stop = min(stop, last_start + TAIL)
        data = _ascii_bytes(text) if self._data is not None else None
        if data is not None and self._match_bytes is not None:
            return _raw_spans(self._match_bytes, data, start, min(stop, len(data)), limit)
        if data is not None:
            found = [m.span() for m in self._data.finditer(data, start, stop)]
        elif self._text is not None:
            try:
                found = [m.span() for m in self._text.finditer(text, start, stop)]
            except UnicodeEncodeError:
                found = [m.span() for m in self._fallback.finditer(text, start, stop)]
        else:
            found = [m.span() for m in self._fallback.finditer(text, start, stop)]
        return [span for span in found if span[0] <= limit]

    def spans_in(self, text: str, regions: Iterable[tuple[int, int, int]]) -> list[Span]:
        """`spans(text, start, end, last_start=limit)` of every (start, end, limit) region, in
        order: one call for the hundreds of short regions a spoken rule reads per MB."""
        data = _ascii_bytes(text) if self._data is not None else None
        found: list[Span] = []
        if data is None or self._match_bytes is None:
            for start, end, limit in regions:
                found += self.spans(text, start, end, last_start=limit)
            return found
        size = len(data)
        for start, end, limit in regions:
            found += _raw_spans(self._match_bytes, data, start, min(end, size), limit)
        return found

    @property
    def knows_starts(self) -> bool:
        """Whether `earliest_start` finds where matches start in ASCII text (RE2 is there),
        rather than answering `start` for every stretch."""
        return self._data is not None and self._match_bytes is not None

    def earliest_start(self, text: str, start: int, end: int) -> int | None:
        """Where a match in text[start:end] can start at the earliest: None when RE2 proves
        there is none, where its first match starts (ASCII text), else `start`. A cheap test
        before a slower exact search of a short window, which may then begin there."""
        data = _ascii_bytes(text) if self._data is not None else None
        if data is None or self._match_bytes is None:
            return start
        first: int = self._match_bytes(data, start, min(end, len(data)))[0][0]
        return first if first >= 0 else None


def _raw_matcher(re2: Any, compiled: Any) -> Callable[[bytes, int, int], Any] | None:
    """The binding's own search, or None if this google-re2 does not expose it: called with
    (data, start, stop), it returns the spans of the first match's groups, [(-1, -1)] if none.

    The public `finditer` builds a match object per hit, which costs more than the search on
    the short stretches the spoken rules read; the binding returns bare spans. A `partial`
    binds the anchor without a Python frame per call (thousands of calls per MB).
    """
    regexp = getattr(compiled, "_regexp", None)
    anchor = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
    if regexp is None or anchor is None or not hasattr(regexp, "Match"):
        return None  # pragma: no cover - other google-re2 versions
    return partial(regexp.Match, anchor)


def _raw_spans(
    match: Callable[[bytes, int, int], Any], data: bytes, start: int, stop: int, limit: int
) -> list[Span]:
    """The leftmost matches in data[start:stop] that start by `limit`, as `finditer` finds."""
    found: list[Span] = []
    position = start
    last = min(stop, limit)
    while position <= last:
        span: Span = match(data, position, stop)[0]
        if span[0] < 0 or span[0] > limit:
            break
        found.append(span)
        position = span[1] if span[1] > position else position + 1
    return found


# The last text searched and its ASCII bytes (None if not ASCII). Rules search the same document
# text many times, often a small region at a time: encoding the whole text once per search made
# the cost grow with (searches x text length).
_last_encoded: tuple[str, bytes | None] = ("", b"")


def _ascii_bytes(text: str) -> bytes | None:
    """`text` as ASCII bytes (offsets unchanged), or None if it is not ASCII; cached per text."""
    global _last_encoded
    cached_text, data = _last_encoded
    if cached_text is text:
        return data
    data = text.encode("ascii") if text.isascii() else None
    _last_encoded = (text, data)
    return data


class FastRegex:
    """A `re` regex searched only inside the hits of an RE2 prefilter (see module docstring)."""

    def __init__(self, regex: re.Pattern[str], prefilter: str | None) -> None:
        self.regex = regex
        self.prefilter = prefilter
        self._prefilter = (
            RE2Spans(prefilter, re.compile(prefilter, regex.flags)) if prefilter else None
        )

    @property
    def groupindex(self) -> Any:
        return self.regex.groupindex

    @property
    def prefilter_spans(self) -> RE2Spans | None:
        """The compiled prefilter alone, to bound where a match can start; None without one."""
        return self._prefilter

    def finditer(
        self, text: str, start: int = 0, end: int | None = None, *, last_start: int | None = None
    ) -> Iterator[re.Match[str]]:
        """Matches of the full regex in text[start:end], each starting inside a prefilter hit;
        with `last_start`, only those starting before it (they may end after it)."""
        stop = len(text) if end is None else end
        limit = stop if last_start is None else last_start
        if self._prefilter is None:
            for found in self.regex.finditer(text, start, stop):
                if found.start() >= limit:
                    return
                yield found
            return
        for hit_start, hit_end in self._prefilter.spans(text, start, stop, last_start=limit):
            window_end = min(stop, hit_end + LOOKAHEAD)
            # Most hits hold one match that starts where the hit does and covers it: then no
            # other starts in the hit, and the window need not be searched again for one.
            first = self.regex.match(text, hit_start, window_end)
            matches: Iterable[re.Match[str]] = (
                (first,)
                if first is not None and first.end() >= hit_end
                else self.regex.finditer(text, hit_start, window_end)
            )
            for found in matches:
                if found.start() >= hit_end:
                    break
                if found.end() == window_end < stop:
                    # The window cut the match short (a prefilter hit narrower than the
                    # match): match again from the same start without the window.
                    found = self.regex.match(text, found.start(), stop) or found
                if found.start() >= limit:
                    return
                yield found

    def finditer_in(self, text: str, spans: Iterable[tuple[int, int]]) -> Iterator[re.Match[str]]:
        """The matches starting in any of the sorted, disjoint `spans` (`Document.focus_spans`);
        a match may end past its span."""
        for low, high in spans:
            yield from self.finditer(text, low, last_start=high)

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """The first match in text[start:end], or None."""
        return next(self.finditer(text, start, end), None)


def words_prefilter(alternatives: str) -> str:
    """The RE2 prefilter of a whole-word alternation: the same words, case-insensitive."""
    return f"(?i:{alternatives})"


def _as_python_regex(trigger: str) -> re.Pattern[str] | None:
    """A trigger compiled by `re`, or None where RE2 syntax is not Python's (inline flags
    inside a group, as in `(?:(?i)cvv)`): the gate then wakes that rule, which searches with
    its own fallback. A gate may run a rule for nothing; it must never skip one."""
    try:
        return re.compile(trigger)
    except re.error:
        return None


class RuleGate:
    """Which rules can match a text, from one RE2 pass over all their triggers.

    A rule may expose `trigger`: an RE2 regex that matches every text the rule could report on
    (its prefilter, its prompt words, its seed). One RE2 set search tells which triggers occur,
    and the rules whose trigger does not are skipped: a chat line without digits or prompt words
    costs one search, not one per rule. Rules without a trigger always run.
    """

    def __init__(self, triggers: list[str | None]) -> None:
        self._always = [trigger is None for trigger in triggers]
        self._indices = [index for index, trigger in enumerate(triggers) if trigger is not None]
        self._triggers = [t for t in triggers if t is not None]
        self._fallback: list[re.Pattern[str] | None] | None = None
        self._set: Any = None
        if not self._indices:
            return
        try:
            import re2
        except ImportError:  # pragma: no cover - google-re2 is a dependency
            return
        gate = re2.Set.SearchSet()
        for trigger in triggers:
            if trigger is not None:
                gate.Add(trigger)
        gate.Compile()
        self._set = gate

    def active(self, text: str) -> list[bool]:
        """For each rule, whether it must run on `text`."""
        active = list(self._always)
        for position in self._hits(text):
            active[self._indices[position]] = True
        return active

    def _hits(self, text: str) -> list[int]:
        if self._set is not None:
            data = _ascii_bytes(text)
            if data is None:
                try:
                    data = text.encode("utf-8")
                except UnicodeEncodeError:  # lone surrogates: fall back to `re`
                    data = None
            if data is not None:
                hits: list[int] | None = self._set.Match(data)
                return hits or []
        if self._fallback is None:
            self._fallback = [_as_python_regex(trigger) for trigger in self._triggers]
        return [i for i, regex in enumerate(self._fallback) if regex is None or regex.search(text)]
