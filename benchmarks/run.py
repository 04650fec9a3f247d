#!/usr/bin/env python
"""Benchmark callguard's PCI profile against Presidio on one labelled synthetic corpus.

Usage: python benchmarks/run.py [--size-mb N] [--quick] [--engines callguard,recognizer,analyzer]

Why: callguard claims to be fast enough to scan a contact center's whole chat and transcript
archive on one core, and more accurate on card numbers than the usual choice, Presidio. This
script measures both claims on the same input in the same process. The corpus is seeded, so two
runs differ only by machine and code.

Output: a speed table and an accuracy table on stdout, then speed on generated short-turn calls
(`--calls-mb`, where a conversation-aware reader pays per turn), and the same figures as JSON in
benchmarks/out/. Nothing printed or written contains a card number: only counts and rates.
The script never touches the network: connection attempts are refused up front.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import corpus
import engines
import phi_corpus
from corpus import Line
from measure import Accuracy, Timing, score, time_lines, time_whole

ENGINE_KEYS = ("callguard", "recognizer", "analyzer")
CALLGUARD_LINE = "callguard pci"
CALLGUARD_WHOLE = "callguard pci (whole corpus, one call)"
OUT_DIR = Path(__file__).resolve().parent / "out"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=None, help="corpus size (default 4)")
    parser.add_argument("--quick", action="store_true", help="small corpus and sample, ~20 s")
    parser.add_argument("--sample-lines", type=int, default=None, help="AnalyzerEngine sample")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes; the best is kept")
    parser.add_argument("--seed", type=int, default=20250529)
    parser.add_argument("--engines", default=",".join(ENGINE_KEYS), help="comma-separated")
    parser.add_argument(
        "--calls-mb", type=float, default=None, help="short-turn calls to time (default 1)"
    )
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    args = parser.parse_args(argv)
    args.size_mb = args.size_mb or (0.5 if args.quick else 4.0)
    args.calls_mb = args.calls_mb if args.calls_mb is not None else (0.25 if args.quick else 1.0)
    args.sample_lines = args.sample_lines or (100 if args.quick else 300)
    args.engines = [key.strip() for key in args.engines.split(",") if key.strip()]
    unknown = set(args.engines) - set(ENGINE_KEYS)
    if unknown:
        parser.error(f"--engines: unknown {sorted(unknown)}, choose from {list(ENGINE_KEYS)}")
    return args


def pick_sample(lines: Sequence[Line], size: int, seed: int) -> list[int]:
    """Indices of a sample for the slow engine: a fifth cards, a fifth hard negatives, rest plain.

    A plain random sample of 300 lines holds about nine cards, too few for recall to mean
    anything; enriching it keeps the slow engine's accuracy comparable without a longer run.
    """
    rng = random.Random(seed + 1)
    by_label: dict[str, list[int]] = {"positive": [], "hard_negative": [], "plain": []}
    for index, line in enumerate(lines):
        by_label[line.label].append(index)
    wanted = {"positive": size // 5, "hard_negative": size // 5}
    chosen: list[int] = []
    for label in ("positive", "hard_negative"):
        pool = by_label[label]
        chosen += rng.sample(pool, min(wanted[label], len(pool)))
    plain = by_label["plain"]
    chosen += rng.sample(plain, min(size - len(chosen), len(plain)))
    return sorted(chosen)


def build_engines(keys: Sequence[str]) -> dict[str, engines.Engine]:
    """Construct the requested engines, with a one-line message if callguard is not ready."""
    built: dict[str, engines.Engine] = {}
    if "callguard" in keys:
        try:
            built["callguard"] = engines.callguard_engine()
        except (ImportError, AttributeError) as exc:
            sys.exit(
                f"callguard.Scanner is not available ({exc.__class__.__name__}); install "
                "callguard (pip install -e .) or pass --engines recognizer,analyzer"
            )
    if "recognizer" in keys:
        built["recognizer"] = engines.presidio_recognizer_engine()
    if "analyzer" in keys:
        started = time.perf_counter()
        built["analyzer"] = engines.presidio_analyzer_engine()
        print(f"AnalyzerEngine loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return built


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    engines.block_network()
    started = time.perf_counter()
    lines = corpus.generate(int(args.size_mb * 1e6), seed=args.seed)
    sample = pick_sample(lines, args.sample_lines, args.seed)
    built = build_engines(args.engines)
    run = measure_all(built, lines, sample, repeats=args.repeats)
    if args.calls_mb > 0:
        run.call_timings = measure_calls(built, args.calls_mb, args)
    if "callguard" in built:
        run.density_timings = measure_densities(built["callguard"], args)
    run.elapsed = time.perf_counter() - started
    print_report(args, lines, run)
    write_json(args, lines, run)
    return 0


@dataclass
class Run:
    """Everything one benchmark run measured, for the report and the JSON file."""

    sample: list[Line]
    timings: list[Timing] = field(default_factory=list)
    full_scores: list[Accuracy] = field(default_factory=list)
    sample_scores: list[Accuracy] = field(default_factory=list)
    whole_corpus_cards: int | None = None
    # callguard's other PCI findings on the whole corpus, by rule: it holds no security code,
    # expiry, PIN, track or bank data, so each one is a false positive.
    whole_corpus_others: dict[str, int] = field(default_factory=dict)
    call_timings: list[Timing] = field(default_factory=list)
    density_timings: list[tuple[float, float, Timing]] = field(default_factory=list)
    elapsed: float = 0.0


def measure_all(
    built: dict[str, engines.Engine], lines: Sequence[Line], sample: Sequence[int], *, repeats: int
) -> Run:
    """Time and score each engine; the fast ones on every line, the slow one on the sample."""
    texts = [line.text for line in lines]
    run = Run(sample=[lines[i] for i in sample])
    for key in ("callguard", "recognizer"):
        if key not in built:
            continue
        engine = built[key]
        print(f"timing {engine.name} on {len(texts)} lines", file=sys.stderr)
        timing, results = time_lines(engine, texts, repeats=repeats)
        run.timings.append(timing)
        run.full_scores.append(score(engine, lines, results))
        run.sample_scores.append(score(engine, run.sample, [results[i] for i in sample]))
        if key == "callguard":
            whole, result = time_whole(engine, "\n".join(texts), repeats=repeats)
            run.timings.append(_renamed(whole, CALLGUARD_WHOLE))
            run.whole_corpus_cards = len(engine.spans(result))
            run.whole_corpus_others = dict(
                Counter(f.rule_id for f in result if f.entity_type != "CREDIT_CARD")
            )
    if "analyzer" in built:
        engine = built["analyzer"]
        print(f"timing {engine.name} on a {len(sample)}-line sample", file=sys.stderr)
        sample_texts = [texts[i] for i in sample]
        timing, results = time_lines(
            engine, sample_texts, repeats=repeats, warmup=min(20, len(sample))
        )
        run.timings.append(_renamed(timing, f"{engine.name} (sample)"))
        run.sample_scores.append(score(engine, run.sample, results))
    return run


def measure_calls(
    built: dict[str, engines.Engine], size_mb: float, args: argparse.Namespace
) -> list[Timing]:
    """Speed on whole calls with short turns (the PHI benchmark's generated calls).

    The labelled corpus has ~200-character lines, 15% of them holding a long or spoken
    number; real calls are mostly short turns ("Agent: go on"), and a split-number reader's
    cost follows turns, not bytes. These calls are not labelled for cards: speed only.
    """
    calls: list[str] = []
    size = 0
    for call in phi_corpus.make_calls(max(1, int(size_mb * 1e6 / 1000)), seed=args.seed):
        calls.append(call.text)
        size += len(call.text) + 2
        if size >= size_mb * 1e6:
            break
    text = "\n\n".join(calls)
    turns = [turn for turn in text.split("\n") if turn]
    timings: list[Timing] = []
    for key in ("callguard", "recognizer"):
        if key in built:
            engine = built[key]
            print(f"timing {engine.name} on {len(calls)} short-turn calls", file=sys.stderr)
            timing, _ = time_lines(engine, turns, repeats=args.repeats)
            timings.append(_renamed(timing, f"{engine.name}, per turn"))
            whole, _ = time_whole(engine, text, repeats=args.repeats)
            timings.append(_renamed(whole, f"{engine.name}, whole file"))
    if "analyzer" in built:
        engine = built["analyzer"]
        sample = random.Random(args.seed).sample(turns, min(args.sample_lines, len(turns)))
        print(f"timing {engine.name} on {len(sample)} turns of those calls", file=sys.stderr)
        timing, _ = time_lines(engine, sample, repeats=args.repeats, warmup=20)
        timings.append(_renamed(timing, f"{engine.name}, per turn (sample)"))
    return timings


# (share of lines with a card, share with a hard negative): the labelled corpus's mix, then
# sparser ones, down to none at all.
DENSITIES = ((corpus.POSITIVE_RATE, corpus.HARD_NEGATIVE_RATE), (0.01, 0.04), (0.003, 0.02), (0, 0))


def measure_densities(
    engine: engines.Engine, args: argparse.Namespace
) -> list[tuple[float, float, Timing]]:
    """callguard's whole-file speed as the share of lines holding a number falls.

    A scan's cost follows the candidates it must read, not the bytes: the labelled corpus is
    built dense so that accuracy means something, and ordinary traffic holds far fewer.
    """
    size = int(min(args.size_mb, 1.0) * 1e6)
    timings: list[tuple[float, float, Timing]] = []
    for positive, negative in DENSITIES:
        lines = corpus.generate(
            size, seed=args.seed, positive_rate=positive, hard_negative_rate=negative
        )
        timing, _ = time_whole(engine, "\n".join(line.text for line in lines), repeats=args.repeats)
        timings.append((positive, negative, timing))
    return timings


def print_densities(timings: Sequence[tuple[float, float, Timing]]) -> None:
    """callguard's whole-file MB/s per mix of numbers in the text."""
    print("callguard pci, whole file, by share of lines holding a card / a hard negative")
    header = f"{'cards':>7} {'hard neg.':>10} {'MB':>6} {'MB/s/core':>10}"
    print(header)
    print("-" * len(header))
    for positive, negative, timing in timings:
        size = timing.bytes / 1e6
        print(f"{positive:>7.1%} {negative:>10.1%} {size:>6.2f} {timing.mb_per_s:>10.3f}")
    print()


def print_calls(timings: Sequence[Timing]) -> None:
    """Speed on short-turn calls; callguard's rows divided by each Presidio row's MB/s."""
    size = max(t.bytes for t in timings) / 1e6
    print(f"short-turn calls (benchmarks/phi_corpus.py), {size:.2f} MB, speed only")
    recognizer = {t.engine: t for t in timings if "Recognizer" in t.engine}
    analyzer = next((t for t in timings if "AnalyzerEngine" in t.engine), None)
    header = (
        f"{'engine':<46} {'MB/s/core':>10} {'us/turn p50':>12} {'x recog.':>9} {'x analyzer':>11}"
    )
    print(header)
    print("-" * len(header))
    for timing in timings:
        ours = timing.engine.startswith("callguard")
        how = timing.engine.split(", ", 1)[1]
        theirs = recognizer.get(f"presidio CreditCardRecognizer, {how}")
        by_recognizer = _ratio(timing, theirs, ours) if theirs else ""
        by_analyzer = _ratio(timing, analyzer, ours) if analyzer else ""
        p50 = f"{timing.median_line_us:.1f}" if timing.lines > 1 else ""
        print(
            f"{timing.engine:<46} {timing.mb_per_s:>10.3f} {p50:>12} "
            f"{by_recognizer:>9} {by_analyzer:>11}"
        )
    print("x recog., x analyzer: callguard's MB/s divided by that Presidio row's, same calls\n")


def _renamed(timing: Timing, name: str) -> Timing:
    return Timing(name, timing.lines, timing.bytes, timing.seconds, timing.median_line_us)


def print_report(args: argparse.Namespace, lines: Sequence[Line], run: Run) -> None:
    """Two plain tables; counts and rates only, never a matched value."""
    sample, timings = run.sample, run.timings
    size = sum(len(line.text.encode("utf-8")) + 1 for line in lines) / 1e6
    print(
        f"\ncorpus: {len(lines)} lines, {size:.2f} MB, seed {args.seed}, "
        f"{_count(lines, 'positive')} cards, {_count(lines, 'hard_negative')} hard negatives; "
        f"sample: {len(sample)} lines, {_count(sample, 'positive')} cards"
    )
    print(
        f"machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, single process; best of {args.repeats} after warm-up\n"
    )
    per_line = next((t for t in timings if t.engine == CALLGUARD_LINE), None)
    whole = next((t for t in timings if t.engine == CALLGUARD_WHOLE), None)
    header = (
        f"{'engine':<46} {'lines':>6} {'MB/s/core':>10} {'us/line p50':>12} "
        f"{'cg/line x':>10} {'cg/whole x':>10}"
    )
    print(header)
    print("-" * len(header))
    for timing in timings:
        versus = timing.engine.startswith("presidio")
        print(
            f"{timing.engine:<46} {timing.lines:>6} {timing.mb_per_s:>10.3f} "
            f"{timing.median_line_us:>12.1f} {_ratio(per_line, timing, versus):>10} "
            f"{_ratio(whole, timing, versus):>10}"
        )
    print(
        "\ncg/line x, cg/whole x: callguard's MB/s (line by line; whole corpus in one call)\n"
        "divided by the Presidio row's MB/s; above 1 means callguard is faster.\n"
    )
    if run.whole_corpus_cards is not None and run.full_scores:
        print(
            f"callguard whole-corpus call: {run.whole_corpus_cards} card findings "
            f"(line by line: {run.full_scores[0].predictions}); other findings, each a false "
            f"positive (the corpus holds no SAD or bank data): "
            f"{_kinds(run.whole_corpus_others) if run.whole_corpus_others else 'none'}\n"
        )
    for title, scores in (("full corpus", run.full_scores), ("sample", run.sample_scores)):
        if not scores:
            continue
        head = (
            f"{'accuracy, ' + title:<34} {'cards':>6} {'found':>6} {'missed':>6} "
            f"{'false+':>6} {'recall':>7} {'precision':>9} {'F1':>6}"
        )
        print(head)
        print("-" * len(head))
        for acc in scores:
            print(
                f"{acc.engine:<34} {acc.labelled:>6} {acc.found:>6} {acc.missed:>6} "
                f"{acc.false_positives:>6} {acc.recall:>7.3f} {acc.precision:>9.3f} {acc.f1:>6.3f}"
            )
        for acc in scores:
            if acc.missed_by_kind:
                print(f"  {acc.engine} missed: {_kinds(acc.missed_by_kind)}")
            if acc.false_positives_by_kind:
                print(f"  {acc.engine} false+ on: {_kinds(acc.false_positives_by_kind)}")
        print()
    if run.call_timings:
        print_calls(run.call_timings)
    if run.density_timings:
        print_densities(run.density_timings)
    print(f"total run time {run.elapsed:.1f} s")


def write_json(args: argparse.Namespace, lines: Sequence[Line], run: Run) -> None:
    """The same figures, machine-readable, for comparing runs across commits and machines."""
    sample = run.sample
    path = args.out or OUT_DIR / time.strftime("bench-%Y%m%d-%H%M%S.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "seed": args.seed,
        "repeats": args.repeats,
        "corpus": {
            "lines": len(lines),
            "bytes": sum(len(line.text.encode("utf-8")) + 1 for line in lines),
            "cards": _count(lines, "positive"),
            "hard_negatives": _count(lines, "hard_negative"),
        },
        "sample": {"lines": len(sample), "cards": _count(sample, "positive")},
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
        },
        "versions": {"presidio-analyzer": engines.presidio_version()},
        "timings": [asdict(t) | {"mb_per_s": t.mb_per_s} for t in run.timings],
        "accuracy_full": [_accuracy_dict(a) for a in run.full_scores],
        "accuracy_sample": [_accuracy_dict(a) for a in run.sample_scores],
        "whole_corpus_card_findings": run.whole_corpus_cards,
        "whole_corpus_other_findings": run.whole_corpus_others,
        "short_turn_calls": [asdict(t) | {"mb_per_s": t.mb_per_s} for t in run.call_timings],
        "by_density": [
            {"cards": p, "hard_negatives": n, "mb_per_s": t.mb_per_s, "bytes": t.bytes}
            for p, n, t in run.density_timings
        ],
        "elapsed_s": run.elapsed,
    }
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {path}")


def _accuracy_dict(acc: Accuracy) -> dict[str, object]:
    return asdict(acc) | {"recall": acc.recall, "precision": acc.precision, "f1": acc.f1}


def _ratio(ours: Timing | None, theirs: Timing, show: bool) -> str:
    return f"{ours.mb_per_s / theirs.mb_per_s:.1f}" if ours and show else ""


def _kinds(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in counts.items())


def _count(lines: Sequence[Line], label: str) -> int:
    return sum(1 for line in lines if line.label == label)


if __name__ == "__main__":
    raise SystemExit(main())
