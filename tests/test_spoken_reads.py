"""PCI002's shortcuts over the stretches it reads give exactly the runs a plain search gives.

`SpokenCardRule._busy_runs` skips stretches after a hint search, starts others later and joins
neighbouring lines into one search; each test compares it with searching every stretch and
dropping the idle runs, on random call-like text full of labels, times, amounts and digits.
"""

from __future__ import annotations

import random

import pytest

from callguard.detectors.spoken_card import SpokenCardRule, _ReadRuns
from callguard.document import Document, DocumentBuilder, RawString
from callguard.registry import builtin_rules

LABELS = ["[2025-05-16 15:05] Customer:", "spk_0 [892.46]:", "Caller (14:08.69):", "Agent:", ""]
TOKENS = [
    "four", "one", "oh", "twenty", "um", "so", "okay", "the", "card", "is", "ending", "in",
    "4111", "1111", "555-0119", "(415)", "$12.50", "05/11/2025", "10:30", "12", "7", "1,234",
    "4111,", "1111;", "one,", "CPL-86102", "#12345", "a", "it's", "...", "-", ":", "x_123",
]  # fmt: skip


def _rule() -> SpokenCardRule:
    (rule,) = [rule for rule in builtin_rules() if rule.meta.id == "PCI002"]
    assert isinstance(rule, SpokenCardRule)
    return rule


def _document(text: str) -> Document:
    builder = DocumentBuilder("<text>", "text", text)
    builder.add(text, RawString(0, len(text)))
    return builder.build()


def _line(rng: random.Random) -> str:
    words = [rng.choice(TOKENS) for _ in range(rng.randint(0, 40))]
    return " ".join([rng.choice(LABELS), *words]).strip()


@pytest.mark.parametrize("seed", range(4))
def test_busy_runs_are_the_runs_a_plain_search_keeps(seed: int) -> None:
    rule, rng = _rule(), random.Random(seed)
    for _ in range(150):
        text = "\n".join(_line(rng) for _ in range(rng.randint(1, 14)))
        reads = rule._reads(_document(text), _ReadRuns(text))
        plain = rule._runs.spans_in(text, reads)
        expected = [span for span in plain if not rule._is_idle(text, span[0], span[1])]
        assert rule._busy_runs(text, reads) == expected, text


@pytest.mark.parametrize(
    ("first_line", "reads_on"),
    [
        pytest.param("Customer: it's four one one one", True, id="a-piece-may-go-on"),
        pytest.param(
            "Customer: my order number is four two five seven, four two nine three, "
            "one one four eight, three oh eight five.",
            False,
            id="a-number-said-whole",
        ),
        pytest.param(
            "Customer: best number is four one five, five five five, oh one three two.",
            False,
            id="a-phone-number",
        ),
    ],
)
def test_lines_after_a_seed_are_read_only_when_its_line_holds_a_piece(
    first_line: str, reads_on: bool
) -> None:
    """A number said over turns goes on from a piece: after a line that says its number whole
    (an order number, a phone number) the next lines are not read for one."""
    text = first_line + "\nAgent: okay, go on\nCustomer: yeah that's all\n"
    reads = _rule()._reads(_document(text), _ReadRuns(text))
    assert (reads[-1][1] > len(first_line)) is reads_on
