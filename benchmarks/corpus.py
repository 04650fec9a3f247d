"""A labelled synthetic corpus of contact-center text, generated from a seed.

Speed and accuracy figures only mean something if every engine reads the same text and we know
which lines hold a card number. This module writes chat lines and transcript turns that look like
real traffic (greetings, account talk, addresses, order numbers, phones, dates, amounts). About 3%
of lines hold a public test card number, spaced, dashed, plain or read out as words ("four one one
one, ..."). About 12% hold a hard negative: a number a careless detector flags but a careful one
ignores (Luhn-failing order numbers with card prefixes, "ending in 4242" read-backs, 13-digit epoch
milliseconds, long phone and tracking numbers, and the spoken forms of order numbers, read-backs
and phone numbers). Each `Line` records the character span of its card number, if it has one.

The same seed and size always give the same corpus, so runs on different machines or commits
compare like with like.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

# Published test numbers from card schemes and payment providers; none can be charged.
TEST_PANS: tuple[str, ...] = (
    "4111111111111111",
    "4242424242424242",
    "4012888888881881",
    "4000056655665556",
    "4222222222222",
    "5555555555554444",
    "5105105105105100",
    "5200828282828210",
    "2223003122003222",
    "378282246310005",
    "371449635398431",
    "6011111111111117",
    "6011000990139424",
    "3530111333300000",
    "3566002020360505",
    "30569309025904",
    "36227206271667",
    "6200000000000005",
)

POSITIVE_RATE = 0.03
HARD_NEGATIVE_RATE = 0.12
TRANSCRIPT_SHARE = 0.4

_COMPANIES = (
    "Bluefield Internet",
    "Harbor Light Energy",
    "Copperline Outfitters",
    "Meridian Travel",
)
_AGENTS = ("Renata", "Marcus", "Jules", "Priya", "Oscar", "Dana", "Tomas", "Wen")
_STREETS = ("Alder", "Juniper", "Lakeview", "Mission", "Orchard", "Quarry", "Sycamore", "Union")
_SUFFIXES = ("Street", "Avenue", "Road", "Lane", "Court", "Boulevard")
_CITIES = (("Portland", "OR"), ("Reno", "NV"), ("Tucson", "AZ"), ("Albany", "NY"), ("Boise", "ID"))
_MONTHS = ("January", "March", "April", "May", "June", "August", "October", "December")
_PLANS = ("Basic 100", "Fiber 500", "Family Share", "Unlimited Plus", "Business Pro")
_FILLERS = (
    "Let me pull that up for you, one moment please.",
    "Okay, I see what happened there.",
    "Thanks for your patience while I check.",
    "Sorry, could you say that again? The line cut out.",
    "No problem at all, happy to help with that.",
    "Is there anything else I can help you with today?",
    "Uh, yeah, that sounds right to me.",
    "I was on hold for a while before, so thanks for picking up.",
)


@dataclass(frozen=True)
class Line:
    """One chat line or transcript turn; `card_span` is where its card number sits, if any."""

    text: str
    kind: str  # "chat" or "turn"
    label: str  # "positive", "hard_negative" or "plain"
    card_span: tuple[int, int] | None = None
    detail: str = ""  # "Amex 15-digit spaced", "imei"...: for per-kind counts, never digits


def generate(
    target_bytes: int,
    *,
    seed: int = 20250529,
    positive_rate: float = POSITIVE_RATE,
    hard_negative_rate: float = HARD_NEGATIVE_RATE,
) -> list[Line]:
    """Lines until their UTF-8 size reaches `target_bytes`; deterministic for a given seed.

    The rates are the shares of lines holding a card and a hard negative; lower ones give text
    as number-dense as ordinary traffic, for timing (the labelled corpus uses the defaults).
    """
    rng = random.Random(seed)
    lines: list[Line] = []
    total = 0
    while total < target_bytes:
        line = _make_line(rng, positive_rate, hard_negative_rate)
        lines.append(line)
        total += len(line.text.encode("utf-8")) + 1
    return lines


def _make_line(rng: random.Random, positive_rate: float, hard_negative_rate: float) -> Line:
    """Build a speaker prefix, ordinary talk, and maybe one card or hard negative, ~200 chars."""
    kind = "turn" if rng.random() < TRANSCRIPT_SHARE else "chat"
    prefix = _turn_prefix(rng) if kind == "turn" else _chat_prefix(rng)
    roll = rng.random()
    special: tuple[str, str, str] | None = None
    label = "plain"
    if roll < positive_rate:
        special, label = _card_mention(rng), "positive"
    elif roll < positive_rate + hard_negative_rate:
        maker = rng.choice(_HARD_NEGATIVES)
        special, label = (maker(rng), "", maker.__name__.removeprefix("_neg_")), "hard_negative"
    target = rng.randint(150, 240)
    parts: list[str] = []
    length = len(prefix)
    insert_at = rng.randint(0, 2) if special else -1
    while length < target or len(parts) <= insert_at:
        if len(parts) == insert_at and special:
            parts.append("\x00")  # placeholder for the special fragment, filled in below
            length += len(special[0]) + len(special[1])
            continue
        fragment = rng.choice(_ORDINARY)(rng)
        parts.append(fragment)
        length += len(fragment) + 1
    return _assemble(prefix, parts, special, kind, label)


def _assemble(
    prefix: str, parts: list[str], special: tuple[str, str, str] | None, kind: str, label: str
) -> Line:
    """Join the fragments and record the card span exactly where the placeholder landed."""
    text = prefix
    span: tuple[int, int] | None = None
    for index, part in enumerate(parts):
        if index:
            text += " "
        if part == "\x00" and special is not None:
            lead, card = special[0], special[1]
            text += lead
            if card:
                span = (len(text), len(text) + len(card))
                text += card + "."
        else:
            text += part
    if kind == "turn" and prefix.startswith("spk_"):
        text = text.lower()  # ASR output: no capitals; digits and spans are unchanged
    detail = special[2] if special else ""
    return Line(text=text, kind=kind, label=label, card_span=span, detail=detail)


def _chat_prefix(rng: random.Random) -> str:
    who = rng.choice(("Agent", "Customer", "Customer", "Agent", "Bot"))
    day, hour, minute = rng.randint(1, 28), rng.randint(8, 19), rng.randint(0, 59)
    return f"[2025-05-{day:02d} {hour:02d}:{minute:02d}] {who}: "


def _turn_prefix(rng: random.Random) -> str:
    seconds = rng.uniform(0, 1800)
    if rng.random() < 0.5:
        return f"spk_{rng.randint(0, 1)} [{seconds:.2f}]: "
    minutes, rest = divmod(seconds, 60)
    return f"{rng.choice(('Agent', 'Caller'))} ({int(minutes):02d}:{rest:05.2f}): "


# How each PAN length is grouped on the card face, and so how people read it out.
_GROUPS = {13: (4, 3, 3, 3), 14: (4, 6, 4), 15: (4, 6, 5), 16: (4, 4, 4, 4)}


def format_pan(pan: str, style: str) -> str:
    """Write a PAN as people type it or ASR prints it: grouped as on the card, or plain."""
    if style == "plain":
        return pan
    if style == "spoken":
        return spoken_pan(pan)
    widths = _GROUPS.get(len(pan), (4, 4, 4, 4, 3))
    groups, start = [], 0
    for width in widths:
        groups.append(pan[start : start + width])
        start += width
    return (" " if style == "spaced" else "-").join(groups)


_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def spoken_digits(digits: str, *, oh: bool = True) -> str:
    """Digits as ASR writes a caller reading them: one word each, "oh" for some zeros."""
    return " ".join("oh" if d == "0" and oh else _DIGIT_WORDS[int(d)] for d in digits)


def spoken_pan(pan: str) -> str:
    """A PAN read out group by group as on the card face, with ASR commas between groups."""
    widths = _GROUPS.get(len(pan), (4, 4, 4, 4, 3))
    groups, start = [], 0
    for width in widths:
        groups.append(spoken_digits(pan[start : start + width]))
        start += width
    return ", ".join(groups)


def _card_mention(rng: random.Random) -> tuple[str, str, str]:
    """(lead-in words, the formatted card number, its kind); the lead-in may lack context words."""
    style = rng.choices(("spaced", "dashed", "plain", "spoken"), weights=(5, 2, 3, 3))[0]
    pan = rng.choice(TEST_PANS)
    card = format_pan(pan, style)
    kind = f"{_PREFIX_NAMES.get(pan[:2], pan[:1] + 'x')} {len(pan)}-digit {style}"
    lead = rng.choice(
        (
            "Okay, the card number is ",
            "It's a Visa, ",
            "sure, here it is ",
            "you can charge ",
            "the long number on the front is ",
            "my new card is ",
            "ok so ",
            "Please use ",
        )
    )
    return lead, card, kind


# Scheme names for the kind label, by first two digits of the test numbers above.
_PREFIX_NAMES = {
    "40": "Visa", "41": "Visa", "42": "Visa", "55": "Mastercard", "51": "Mastercard",
    "52": "Mastercard", "22": "Mastercard-2series", "37": "Amex", "60": "Discover",
    "35": "JCB", "30": "Diners", "36": "Diners", "62": "UnionPay",
}  # fmt: skip


def _luhn_failing_number(rng: random.Random) -> str:
    """A 16-digit number with a real card prefix that fails Luhn: an order or account number."""
    digits = rng.choice("4456") + "".join(rng.choice("0123456789") for _ in range(15))
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    if total % 10 == 0:
        digits = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    return digits


def _neg_order(rng: random.Random) -> str:
    number = format_pan(_luhn_failing_number(rng), rng.choice(("spaced", "dashed", "plain")))
    return f"Your order number is {number}, it ships from the Reno warehouse."


def _neg_last_four(rng: random.Random) -> str:
    last = rng.choice(TEST_PANS)[-4:]
    return rng.choice(
        (
            f"I have the card ending in {last} on file, is that still good?",
            f"Great, that's the Visa ending in {last}.",
            f"last four {last}, yes that's mine.",
        )
    )


def _neg_epoch(rng: random.Random) -> str:
    millis = rng.randint(1_704_067_200_000, 1_767_225_599_999)
    return f"event_time={millis} queue=billing wait_ms={rng.randint(500, 90000)}"


def _neg_imei(rng: random.Random) -> str:
    """A phone's IMEI: 15 digits that pass Luhn by design, yet belong to no card scheme."""
    body = "35" + "".join(rng.choice("0123456789") for _ in range(12))
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char) * (1 if position % 2 else 2)
        total += value - 9 if value > 9 else value
    imei = body + str((10 - total % 10) % 10)
    return rng.choice(
        (
            f"The IMEI on the phone is {imei}, under the battery.",
            f"device imei {imei} is still locked to the old plan.",
        )
    )


def _neg_tracking(rng: random.Random) -> str:
    digits = "9400" + "".join(rng.choice("0123456789") for _ in range(18))
    return f"The tracking number is {digits} on the label."


def _neg_phone(rng: random.Random) -> str:
    return rng.choice(
        (
            f"Call me back at +1 {rng.randint(201, 989)} 555 01{rng.randint(0, 99):02d} tonight.",
            f"the number is 1{rng.randint(201, 989)}55501{rng.randint(0, 99):02d} thanks.",
        )
    )


def _neg_spoken_order(rng: random.Random) -> str:
    """A Luhn-failing 16-digit order number read out as words: not a card."""
    return f"my order number is {spoken_pan(_luhn_failing_number(rng))}."


def _neg_spoken_last_four(rng: random.Random) -> str:
    last = spoken_digits(rng.choice(TEST_PANS)[-4:])
    return rng.choice(
        (
            f"that's the card ending in {last}, right?",
            f"the last four are {last}.",
        )
    )


def _neg_spoken_phone(rng: random.Random) -> str:
    area = spoken_digits(str(rng.randint(201, 989)))
    return (
        f"best number is {area}, five five five, oh one {spoken_digits(str(rng.randint(10, 99)))}."
    )


_HARD_NEGATIVES: tuple[Callable[[random.Random], str], ...] = (
    _neg_order,
    _neg_order,
    _neg_last_four,
    _neg_last_four,
    _neg_epoch,
    _neg_imei,
    _neg_tracking,
    _neg_phone,
    _neg_spoken_order,
    _neg_spoken_last_four,
    _neg_spoken_phone,
)


def _greeting(rng: random.Random) -> str:
    return f"Hi, thanks for contacting {rng.choice(_COMPANIES)}, this is {rng.choice(_AGENTS)}."


def _account(rng: random.Random) -> str:
    return (
        f"I see the account was opened in {rng.choice(_MONTHS)} {rng.randint(2012, 2024)} "
        f"and you're on the {rng.choice(_PLANS)} plan."
    )


def _address(rng: random.Random) -> str:
    city, state = rng.choice(_CITIES)
    return (
        f"The service address is {rng.randint(10, 9999)} {rng.choice(_STREETS)} "
        f"{rng.choice(_SUFFIXES)}, {city}, {state} {rng.randint(10000, 99999)}."
    )


def _order(rng: random.Random) -> str:
    day = rng.randint(1, 28)
    return f"Order CPL-{rng.randint(10000, 99999)} shipped on {rng.choice(_MONTHS)} {day}."


def _phone(rng: random.Random) -> str:
    return f"You can reach me at ({rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}."


def _date(rng: random.Random) -> str:
    return f"The next bill is due on {rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/2025."


def _amount(rng: random.Random) -> str:
    dollars, cents = rng.randint(5, 2400), rng.randint(0, 99)
    return f"The balance comes to ${dollars}.{cents:02d} after the credit."


def _filler(rng: random.Random) -> str:
    return rng.choice(_FILLERS)


_ORDINARY: tuple[Callable[[random.Random], str], ...] = (
    _greeting,
    _account,
    _address,
    _order,
    _phone,
    _date,
    _amount,
    _filler,
    _filler,
    _filler,
)
