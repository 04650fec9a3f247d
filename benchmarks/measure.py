"""Timing and scoring, the same for every engine.

Timing: one warm-up pass (caches, lazy imports, first-call compilation), then `repeats` timed
passes. We keep the fastest pass: slower passes measure other processes on the machine, not the
engine. Per-line times come from that same pass. Scoring reads the results of the last timed pass,
so the figures describe exactly the calls that were timed.

Scoring is by overlap: a predicted span that overlaps a labelled card span is a true positive. A
labelled card counts as found if any prediction overlaps it. That forgives engines that include or
drop a separator at the edge, which does not matter to a user.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from corpus import Line
from engines import Engine, Span


@dataclass(frozen=True)
class Timing:
    """Speed of one engine on one input set, from the fastest of several passes."""

    engine: str
    lines: int
    bytes: int
    seconds: float
    median_line_us: float

    @property
    def mb_per_s(self) -> float:
        return self.bytes / self.seconds / 1e6 if self.seconds else float("inf")


@dataclass(frozen=True)
class Accuracy:
    """Counts and rates of one engine on labelled lines."""

    engine: str
    lines: int
    labelled: int
    found: int
    predictions: int
    true_predictions: int
    missed_by_kind: dict[str, int] = field(default_factory=dict)
    false_positives_by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.true_predictions / self.predictions if self.predictions else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def false_positives(self) -> int:
        return self.predictions - self.true_predictions

    @property
    def missed(self) -> int:
        return self.labelled - self.found


def time_lines(
    engine: Engine, texts: Sequence[str], *, repeats: int, warmup: int | None = None
) -> tuple[Timing, list[Any]]:
    """Time `engine.scan` on each text; return the best pass and the last pass's results."""
    clock = time.perf_counter
    scan = engine.scan
    for text in texts[: len(texts) if warmup is None else warmup]:
        scan(text)
    best_total = float("inf")
    best_per_line: list[float] = []
    results: list[Any] = []
    for _ in range(repeats):
        per_line = [0.0] * len(texts)
        results = [None] * len(texts)
        pass_start = clock()
        for index, text in enumerate(texts):
            start = clock()
            results[index] = scan(text)
            per_line[index] = clock() - start
        total = clock() - pass_start
        if total < best_total:
            best_total, best_per_line = total, per_line
    timing = Timing(
        engine=engine.name,
        lines=len(texts),
        bytes=sum(len(text.encode("utf-8")) for text in texts),
        seconds=best_total,
        median_line_us=statistics.median(best_per_line) * 1e6 if best_per_line else 0.0,
    )
    return timing, results


def time_whole(engine: Engine, text: str, *, repeats: int) -> tuple[Timing, Any]:
    """Time one call on one big text: the cost of a whole file, without per-call overhead."""
    result = engine.scan(text)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = engine.scan(text)
        best = min(best, time.perf_counter() - start)
    timing = Timing(
        engine=engine.name,
        lines=1,
        bytes=len(text.encode("utf-8")),
        seconds=best,
        median_line_us=best * 1e6,
    )
    return timing, result


def score(engine: Engine, lines: Sequence[Line], results: Sequence[Any]) -> Accuracy:
    """Overlap-based recall and precision of `results` against the lines' card labels."""
    labelled = found = predictions = true_predictions = 0
    missed: Counter[str] = Counter()
    false_positives: Counter[str] = Counter()
    for line, result in zip(lines, results, strict=True):
        spans = engine.spans(result)
        predictions += len(spans)
        hits = 0
        if line.card_span is not None:
            labelled += 1
            hits = sum(1 for span in spans if _overlaps(span, line.card_span))
            true_predictions += hits
            found += 1 if hits else 0
            missed[line.detail] += 0 if hits else 1
        if len(spans) > hits:
            false_positives[line.detail or line.label] += len(spans) - hits
    return Accuracy(
        engine=engine.name,
        lines=len(lines),
        labelled=labelled,
        found=found,
        predictions=predictions,
        true_predictions=true_predictions,
        missed_by_kind={kind: n for kind, n in sorted(missed.items()) if n},
        false_positives_by_kind=dict(sorted(false_positives.items())),
    )


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]
