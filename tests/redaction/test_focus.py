"""The focused read-back: only the lines within the rules' reach of an edit are read again.

A redacted output is its input except near the edits, and every finding of the input was
redacted, so a finding the output could newly hold starts within reach of an edit
(`callguard.rule.Reach`). These tests hold the focused read-back to the full one, on every
fixture and on long call logs where the focus leaves most of the text out, and prove that it
still catches what an edit creates (halves of a spoken number joined by a mask) or a broken
writer leaves, deep inside a long file. The HIPAA rules are held to the same: on clinic call
logs and the fixtures, and on values whose cue (a question, a label, a stated name's question)
lies lines before the edit, which a focus without the rule's reach misses.
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

import pytest

from callguard.detectors import name_slots, phi
from callguard.detectors.conversation import CueRule
from callguard.detectors.cue_turns import ANSWER_LINES
from callguard.detectors.patterns import PatternRule
from callguard.detectors.spoken_card import SpokenCardRule
from callguard.document import Document
from callguard.engine import Scanner
from callguard.focus import lines_within
from callguard.redaction import RedactionError, Redactor
from callguard.rule import Reach

from .conftest import FIXTURES, KEY_HEX, ROOT, TEST_PANS, holds_test_pan
from .test_readback import _leave
from .test_readback import _spy_carried as _spy
from .test_rounds import JOINED

_SCANNER = Scanner(profile="pci")
_FILLERS = (
    "Agent: thanks for calling Harbor Light Energy, this is Dana, how can I help?",
    "Customer: hi, um, I got a bill for ${amount} and it looks too high",
    "Agent: I see the account was opened in March 2019, order CPL-{five} shipped on May 3",
    "Customer: you can reach me at (415) 555-01{two}, that's my cell",
    "Agent: your order number is {sixteen}, it ships from the Reno warehouse",
    "Customer: the card ending in {four}, yes that one",
    "[2025-05-{two} 10:{two}] Customer: the next bill is due on 05/{two}/2025",
    "Agent: event_time=17419337{five} queue=billing wait_ms={five}",
)
# About one line in twenty-five starts a card exchange, as in a queue that takes payments.
_CARD_TALK = (
    "Customer: it's four one one one, one one one one, one one one one, one one one one",
    "Agent: and the security code on the back of the card?\nCustomer: seven three seven",
    "Customer: sure, it's 5555 5555 5555 4444, expiring 04/27",
    "Customer: five five five five\nAgent: go on\nCustomer: five five five five\n"
    "Agent: mm-hmm\nCustomer: five five five five four four four four",
)


def call_log(lines: int, seed: int, card_rate: float = 0.04) -> str:
    """A long call log: talk, amounts, phones, order numbers, and a few card numbers."""
    rng = random.Random(seed)

    def digits(count: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(count))

    out = []
    for _ in range(lines):
        template = rng.choice(_CARD_TALK if rng.random() < card_rate else _FILLERS)
        out.append(
            template.format(
                amount=f"{rng.randint(20, 900)}.{digits(2)}",
                two=digits(2),
                four=digits(4),
                five=digits(5),
                sixteen="4" + digits(15),
            )
        )
    return "\n".join(out) + "\n"


def _read_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule reads the whole output, as a read-back without a focus did."""
    monkeypatch.setattr(Document, "focus_spans", lambda self, reach: ((0, len(self.text)),))


def _focused_share(document: Document, reach: Reach | None = None) -> float:
    """The share of the text a rule with `reach` reads, by default the widest PCI rule."""
    spans = document.focus_spans(reach or _SCANNER.focus_reach())
    return sum(end - start for start, end in spans) / len(document.text)


def test_pci_rules_say_their_reach_and_phi_rules_do_not() -> None:
    reach = _SCANNER.focus_reach()
    assert reach is not None
    assert 300 <= reach.chars <= 4096  # PCI002's context and read-back, a prompt's card talk
    assert 4 <= reach.lines <= 16  # a number said over a speaker's turns, a prompt's replies
    assert Scanner(profile="all").focus_reach() is None  # configuration checks do not say


@pytest.mark.parametrize("strategy", ["tag", "mask", "CREDIT_CARD=hash,default=tag"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_focused_and_full_read_back_give_the_same_output(
    strategy: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = call_log(600, seed).encode()
    redactor = Redactor(scanner=_SCANNER, strategy=strategy, key=KEY_HEX)
    seen = _spy(monkeypatch)
    focused = redactor.redact_bytes(data, path="calls.log")
    assert len(seen) == 1
    assert 0 < _focused_share(seen[0]) < 1
    _read_everything(monkeypatch)
    full = redactor.redact_bytes(data, path="calls.log")
    assert (focused.data, focused.replacements) == (full.data, full.replacements)
    assert not holds_test_pan(focused.data.decode())


@pytest.mark.parametrize("strategy", ["tag", "partial"])
@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_focused_and_full_read_back_agree_where_card_talk_is_dense(
    strategy: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Card exchanges every few lines: a value starting just after one edit may close a split
    number, follow a prompt or carry card talk that lies before another, which is where a
    focus reaching lines after an edit (`Reach.lines_before`) would matter."""
    data = call_log(500, seed, card_rate=0.1).encode()
    redactor = Redactor(scanner=_SCANNER, strategy=strategy, key=KEY_HEX)
    seen = _spy(monkeypatch)
    focused = redactor.redact_bytes(data, path="calls.log")
    assert 0 < _focused_share(seen[0]) < 1
    _read_everything(monkeypatch)
    full = redactor.redact_bytes(data, path="calls.log")
    assert (focused.data, focused.replacements) == (full.data, full.replacements)
    assert not holds_test_pan(focused.data.decode())


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_focused_and_full_read_back_agree_on_every_fixture(
    path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    redactor = Redactor(scanner=_SCANNER, strategy="mask")
    focused = redactor.redact_bytes(path.read_bytes(), path=str(path))
    _read_everything(monkeypatch)
    full = redactor.redact_bytes(path.read_bytes(), path=str(path))
    assert (focused.data, focused.replacements) == (full.data, full.replacements)


def _long_log_around(middle: str) -> str:
    """`middle` with 400 lines of call talk (cards included) before and after it."""
    return call_log(400, 7) + middle + call_log(400, 8)


def test_a_number_joined_by_a_mask_deep_in_a_long_log_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _spy(monkeypatch)
    text = _long_log_around(JOINED)
    out = Redactor(scanner=_SCANNER, strategy="mask").redact_bytes(text.encode(), path="a.log")
    assert len(seen) == 1
    assert _focused_share(seen[0]) < 0.9
    assert not holds_test_pan(out.data.decode())
    assert _SCANNER.scan_bytes(out.data, path="a.log") == []


def _leave_security_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken writer: every CVV is written back as it was said."""
    from callguard.redaction import policy

    render = policy.Renderer.render

    def leaky(self: policy.Renderer, piece: Any) -> str:
        return str(piece.text) if piece.entity_type == "CARD_CVV" else render(self, piece)

    monkeypatch.setattr(policy.Renderer, "render", leaky)


def test_a_value_a_writer_leaves_deep_in_a_long_log_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _leave_security_codes(monkeypatch)
    seen = _spy(monkeypatch)
    middle = (
        "Agent: can I have the card number?\n"
        "Customer: yes it's 4111 1111 1111 1111\n"
        "Agent: thank you. and the security code on the back?\n"
        "Customer: it's nine eight two\n"
    )
    quiet = "Agent: thanks, one moment please.\n" * 300
    text = quiet + middle + quiet
    with pytest.raises(RedactionError, match="remain after redaction") as caught:
        Redactor(scanner=_SCANNER).redact_bytes(text.encode(), path="b.log")
    assert "PCI010" in str(caught.value)
    assert not any(pan in str(caught.value) for pan in TEST_PANS)
    assert len(seen) == 1
    assert _focused_share(seen[0]) < 0.5


def test_a_security_code_several_blank_separated_turns_after_its_prompt_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Answers are read past blank lines and multi-line turns, so the prompt rules' reach
    counts the lines an answer may be on, not only the utterances."""
    _leave_security_codes(monkeypatch)
    chatter = "so I was saying that the renewal letter came last week and it said " * 3
    middle = (
        "Agent: thanks. and the security code on the back of the card?\n\n"
        f"Customer: {chatter}\n\n"
        f"Customer: {chatter}\n\n"
        "Customer: oh sorry, it's nine eight two\n"
    )
    quiet = "Agent: thanks, one moment please.\n" * 300
    text = quiet + "Agent: can I have the card number please?\n" + middle + quiet
    with pytest.raises(RedactionError, match="remain after redaction") as caught:
        Redactor(scanner=_SCANNER).redact_bytes(text.encode(), path="c.log")
    assert "PCI010" in str(caught.value)


def test_focus_covers_the_lines_within_reach() -> None:
    text = "".join(f"line {n:03d} " + "x" * 40 + "\n" for n in range(100))  # 50-char lines
    edit = text.index("line 050")
    reach = Reach(chars=120, lines=4)
    focus = lines_within(text, [(edit, edit + 8)], reach)
    assert len(focus) == 1
    start, end = focus[0]
    assert text[start:].startswith("line 046")  # four lines back beat 120 characters back
    assert text[:end].rsplit("\n", 1)[-1].startswith("line 054")  # the same ahead
    far = lines_within(text, [(edit, edit + 8)], Reach(chars=600, lines=1))
    assert text[far[0][0] :].startswith("line 038")  # 600 characters back: 12 lines
    ahead_only = Reach(chars=120, lines=4, lines_before=0)
    ((low, high),) = lines_within(text, [(edit, edit + 8)], ahead_only)
    assert text[low:].startswith("line 046")  # values whose later parts reach the edit
    assert text[:high].rsplit("\n", 1)[-1].startswith("line 052")  # only cues: 120 characters
    apart = lines_within(text, [(0, 4), (len(text) - 5, len(text) - 1)], reach)
    assert len(apart) == 2
    assert apart[0][0] == 0
    assert apart[1][1] >= len(text) - 1


@pytest.mark.parametrize("seed", range(20))
def test_focus_of_many_edits_is_the_union_of_each_edits_lines(seed: int) -> None:
    """Edits on neighbouring lines are looked up as one block: the lines must be exactly those
    each edit reaches on its own, however the edits and lines fall."""
    rng = random.Random(seed)
    text = "\n".join("w" * rng.randint(0, 90) for _ in range(120))
    points = sorted(rng.sample(range(len(text)), rng.randint(1, 60)))
    edits = [(p, min(len(text), p + rng.randint(1, 12))) for p in points]
    edits = [e for i, e in enumerate(edits) if i == 0 or e[0] >= edits[i - 1][1]]
    reach = Reach(
        chars=rng.choice([0, 30, 200]),
        lines=rng.choice([0, 1, 8]),
        lines_before=rng.choice([None, 0, 2]),
    )
    each: set[int] = set()
    for edit in edits:
        for low, high in lines_within(text, [edit], reach):
            each.update(range(low, high + 1))
    joined: set[int] = set()
    for low, high in lines_within(text, edits, reach):
        joined.update(range(low, high + 1))
    assert joined == each


# A number read in pieces: the first piece two turns before a written card whose mask frees
# the second piece. Only a reading that reaches back two lines from the edit can join them.
_SPLIT_AROUND_A_MASK = (
    "Customer: five five five five\n"
    "Agent: go on\n"
    "Customer: 4111 1111 1111 1111 five five five five five five five five four four four four\n"
)


@pytest.mark.parametrize(("reach", "caught"), [(None, True), (Reach(0, 0), False)])
def test_pieces_joined_by_a_mask_are_found_lines_before_the_edit(
    reach: Reach | None, caught: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _long_log_around(_SPLIT_AROUND_A_MASK)
    if reach is not None:  # the premise: a focus without PCI002's line reach misses it
        monkeypatch.setattr(SpokenCardRule, "reach", property(lambda self: reach))
    out = Redactor(scanner=_SCANNER, strategy="mask").redact_bytes(text.encode(), path="c.log")
    start = len(call_log(400, 7))  # masks keep lengths: the exchange is where it was
    middle = out.data.decode()[start : start + len(_SPLIT_AROUND_A_MASK)]
    assert middle.startswith("Customer: ")
    assert "4111" not in middle
    assert ("five" not in middle) is caught


# -- HIPAA: cue rules, pattern rules with a max_length, dates, and the NER rules ---------------

_CLINIC_TALK = (
    "Agent: thank you for calling the clinic billing line, how can I help you today?",
    "Customer: hi, um, I'm calling about a statement I got last week",
    "Agent: let me pull that up for you, one moment please",
    "Customer: yeah the copay was like {amount} dollars, that seems high",
    "Agent: okay, and is this for yourself or for a family member?",
    "Customer: it's for me, uh, the visit was a checkup",
    "Agent: I see the claim went through, there's a balance of ${amount}",
    "Customer: okay, can I pay that over the phone?",
    "[2025-05-{day} 10:{two}] Agent: transferred to the billing queue, wait_ms={five}",
    "Agent: your reference for this call is REF-{five}, in case you call back",
)
# About one line in thirty starts an exchange with PHI: asked and answered over turns, stated,
# spelled, written; synthetic values only (555 and 0494 phones, example.com addresses).
_PHI_TALK = (
    "Agent: can I have your date of birth please?\nCustomer: sure\nCustomer: oh {d1} oh {d2} "
    "eighty two",
    "Agent: and what's your last name?\nCustomer: um, hold on\nCustomer: {surname}",
    "Customer: my member ID is XJH {three} {three} {three}",
    "Agent: what's the best number to reach you?\nCustomer: four one five, five five five, oh "
    "one {d1} {d2}",
    "Customer: the new address is {house} {street} Street, {city}, {zip}",
    "Agent: can you spell your last name for me?\nCustomer: sure, K as in Kilo, {vowel}, N",
    "Customer: you can email me at jane.{surname}{two}@example.com",
    "Agent: and your social?\nCustomer: two three four, five six, {d1} {d2} {d1} {d2}",
    "Customer: my mom is ninety {d1}, she lives with me now",
    "Customer: sure, you can call me on\n0494 92 82 {two}, that's my mobile",
    "Customer: my appointment is on June {day}th, at the Reno office",
)
_DIGIT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_SURNAMES = ("okonkwo", "haverford", "lindqvist", "marchetti", "nakagawa")
_CITIES = ("Boise, ID", "Reno, NV", "Tucson, AZ", "Albany, NY")


def clinic_log(lines: int, seed: int, rate: float = 0.03) -> str:
    """A long clinic call log: billing talk, and now and then a caller's PHI."""
    rng = random.Random(seed)

    def digits(count: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(count))

    out = []
    for _ in range(lines):
        template = rng.choice(_PHI_TALK if rng.random() < rate else _CLINIC_TALK)
        out.append(
            template.format(
                amount=f"{rng.randint(20, 900)}.{digits(2)}",
                day=rng.randint(10, 28),
                two=digits(2),
                three=digits(3),
                five=digits(5),
                d1=rng.choice(_DIGIT_WORDS),
                d2=rng.choice(_DIGIT_WORDS),
                surname=rng.choice(_SURNAMES),
                house=rng.randint(10, 9999),
                street=rng.choice(("Alder", "Juniper", "Quarry", "Sycamore")),
                city=rng.choice(_CITIES),
                zip=digits(5),
                vowel=rng.choice("AEIO"),
            )
        )
    return "\n".join(out) + "\n"


@cache
def _hipaa_scanner(profile: str) -> Scanner:
    return Scanner(profile=profile)


def test_every_hipaa_rule_says_its_reach() -> None:
    scanner = _hipaa_scanner("hipaa")
    reach = scanner.focus_reach()
    assert reach is not None
    assert reach.lines == ANSWER_LINES  # an answer's turns; a stated name's question
    assert 2048 < reach.chars < 4096  # a web address's max_length and context window


@pytest.mark.parametrize(
    ("profile", "strategy", "seed"),
    [
        ("hipaa", "tag", 1),
        ("hipaa", "mask", 2),
        ("all", "tag", 3),
        ("all", "PERSON=hash,default=mask", 4),
    ],
)
def test_focused_and_full_hipaa_read_back_give_the_same_output(
    profile: str, strategy: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = clinic_log(600, seed).encode()
    redactor = Redactor(scanner=_hipaa_scanner(profile), strategy=strategy, key=KEY_HEX)
    seen = _spy(monkeypatch)
    focused = redactor.redact_bytes(data, path="clinic.log")
    assert len(seen) == 1
    assert 0 < _focused_share(seen[0], phi.NER_REACH) < 1
    _read_everything(monkeypatch)
    full = redactor.redact_bytes(data, path="clinic.log")
    assert (focused.data, focused.replacements) == (full.data, full.replacements)
    assert focused.replacements > 20


@pytest.mark.parametrize("profile", ["hipaa", "all"])
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_focused_and_full_hipaa_read_back_agree_on_every_fixture(
    path: Any, profile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    redactor = Redactor(scanner=_hipaa_scanner(profile), strategy="tag")
    focused = redactor.redact_bytes(path.read_bytes(), path=str(path))
    _read_everything(monkeypatch)
    full = redactor.redact_bytes(path.read_bytes(), path=str(path))
    assert (focused.data, focused.replacements) == (full.data, full.replacements)


def _too_small(monkeypatch: pytest.MonkeyPatch, owners: tuple[Any, ...]) -> None:
    """The premise: these rule classes (and module reaches) reach no farther than the edit."""
    for owner in owners:
        if isinstance(owner, type):
            monkeypatch.setattr(owner, "reach", property(lambda self: Reach(0, 0)))
        else:
            monkeypatch.setattr(owner, "SLOT_REACH", Reach(0, 0))


# A broken writer leaves the value where it was; the value is the rule's only because of what
# lies a line or more before it: the question two turns up, the label at the end of the line
# before (a wrapped line), the name question two turns up (a lower-case name no model reads).
_LEFT_BEHIND = [
    pytest.param(
        "DATE_TIME",
        "HIPAA013",
        "Agent: can I have your date of birth please?\nCustomer: sure\n"
        "Customer: oh three oh four eighty two\n",
        "oh three oh four eighty two",
        (CueRule,),
        id="date-of-birth-two-turns-after-the-question",
    ),
    pytest.param(
        "HEALTH_PLAN_ID",
        "HIPAA022",
        "Agent: and your member ID?\nCustomer: yes, one second\n"
        "Customer: X J H four four eight two one zero\n",
        "X J H four four eight two one zero",
        (CueRule,),
        id="member-id-two-turns-after-the-question",
    ),
    pytest.param(
        "PHONE_NUMBER",
        "HIPAA036",
        "Customer: sure, you can call me on\n0494 92 82 32, that's my mobile\n",
        "0494 92 82 32",
        (PatternRule,),
        id="phone-on-the-line-after-its-label",
    ),
    pytest.param(
        "PERSON",
        "HIPAA001",
        "Agent: and what's your last name?\nCustomer: um, hold on\nCustomer: okonkwo\n",
        "okonkwo",
        (phi.PersonRule, phi.LocationRule, name_slots),
        id="lower-case-name-two-turns-after-the-question",
    ),
]


@pytest.mark.parametrize(("entity_type", "rule_id", "middle", "value", "owners"), _LEFT_BEHIND)
@pytest.mark.parametrize("small", [False, True], ids=["rule-reach", "no-reach"])
def test_a_phi_value_a_writer_leaves_is_caught_only_within_the_rules_reach(
    entity_type: str,
    rule_id: str,
    middle: str,
    value: str,
    owners: tuple[Any, ...],
    small: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _leave(entity_type, monkeypatch)
    if small:
        _too_small(monkeypatch, owners)
    seen = _spy(monkeypatch)
    quiet = "Agent: thanks, one moment please.\n" * 300
    data = (quiet + middle + quiet).encode()
    redactor = Redactor(scanner=_hipaa_scanner("hipaa"), strategy="tag")
    if small:  # the premise: a focus without the rule's reach lets the value through
        assert value in redactor.redact_bytes(data, path="b.log").data.decode()
        return
    with pytest.raises(RedactionError, match="remain after redaction") as caught:
        redactor.redact_bytes(data, path="b.log")
    assert rule_id in str(caught.value)
    assert value not in str(caught.value)
    assert len(seen) == 1
    assert _focused_share(seen[0], _hipaa_scanner("hipaa").focus_reach()) < 0.5
