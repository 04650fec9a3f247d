"""A seeded, labelled corpus of synthetic contact-center calls and chats for the PHI benchmark.

Why: no public transcript corpus is labelled for Safe Harbor identifiers, and the Presidio
synthetic set holds no calls. These calls read like a pharmacy, clinic or health-plan line:
speaker labels, greetings, fillers, ASR lower case, card-payment talk, and the hard negatives
an NER model gets wrong (states, countries, card brands, weekdays, "Agent:" labels).

Every value is made up: names and cities are common words picked at random, phone numbers use
the 555-01xx block, e-mails use example.com/.org, SSNs and MRNs are random digits.
Each call is a `Call` (text plus labelled spans); labels use callguard's entity names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


def _split(text: str, separator: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(separator))


FIRST = _split(
    "John Maria James Linda Robert Patricia Michael Jennifer David Elizabeth William Susan "
    "Richard Jessica Joseph Sarah Thomas Karen Daniel Nancy Carlos Aisha Wei Priya Jamal Olga "
    "Kevin Laura Brian Emily Luis Fatima Andre Hannah Omar Grace"
)
LAST = _split(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White "
    "Harris Clark Lewis Robinson Walker Young Nguyen Patel Kim Okafor Novak Carter"
)
CITIES = _split(
    "Springfield|Dayton|Tucson|Fresno|Boise|Tacoma|Akron|Toledo|Omaha|Reno|Savannah|Spokane|"
    "Chattanooga|Knoxville|Durham|Lubbock|Modesto|Pasadena|Syracuse|Allentown|Eugene|Fargo|"
    "Cook County|Orange County|Chicago|Houston|Phoenix|San Antonio|Denver|Memphis",
    "|",
)
STATES = _split("Ohio|Texas|Florida|California|Arizona|Illinois|Oregon|Nevada", "|")
COUNTRIES = _split("Canada|Mexico|India|the Philippines|Germany", "|")
MONTHS = _split(
    "January February March April May June July August September October November December"
)

# Turns without identifiers: the bulk of a real call.
FILLER = (
    "Agent: Thank you for calling, how can I help you today?",
    "Customer: yeah hi, um, I'm calling about a refill.",
    "Agent: Sure, I can help with that. Can you hold for a moment?",
    "Customer: okay, no problem.",
    "Agent: Thanks for holding. I see the order here.",
    "Customer: uh, is it ready for pickup on Monday?",
    "Agent: It should be ready Tuesday afternoon. Is the Visa card still good?",
    "Customer: yes, the Mastercard ending in 4444 is fine.",
    "Agent: Great. Your copay is fifteen dollars.",
    "Customer: mhm, okay. And does my plan cover the generic?",
    "Agent: Yes, your plan covers it. Anything else I can help with?",
    "Customer: no that's it, thanks so much.",
    "Agent: You're welcome, have a great day. Goodbye.",
    "Agent: Please note this call may be recorded for quality assurance.",
    "Customer: the app keeps logging me out, I tried on Chrome and Safari.",
    "Agent: I'll open a ticket with our Tier 2 team, it takes about 48 hours.",
    "spk_0: thank you for calling the pharmacy how can i help you",
    "spk_1: hi um i need to check on my order",
    "spk_0: sure one moment please",
    "spk_1: okay thanks",
)

# Hard negatives: look like places or names, are not PHI (or not Safe Harbor identifiers).
NEGATIVE = (
    "Agent: We ship to all fifty states, but not to {country}.",
    "Customer: I moved here from {state} last year.",
    "Agent: That plan is only offered in {state}.",
    "Customer: Thanks Visa, I mean, thanks. Sorry.",
    "Agent: Our office is closed on {month} 4th for the holiday.",
    "Customer: the CVV is 123 on the back.",
    "Agent: Is this for your American Express or Discover card?",
    "Supervisor: I'm taking over this call from the Agent.",
    "Agent: Did you try paying with Apple Pay or PayPal?",
    "Customer: I was traveling in {country} in {month}.",
)

# Turns with identifiers: {slot} is replaced and labelled.
POSITIVE = (
    "Customer: hi, my name is {PERSON} and I need a refill.",
    "Agent: Thank you, {FIRST}. Can I have your date of birth?",
    "Customer: it's {DATE}.",
    "Customer: I live in {CITY}, {state}.",
    "Agent: And the best number to reach you?",
    "Customer: {PHONE}, that's my cell.",
    "Customer: you can email me at {EMAIL}.",
    "Customer: my social is {SSN}.",
    "Agent: I have your medical record number as {MRN}, correct?",
    "Customer: I'm calling for my mother, {PERSON}, she's in {CITY}.",
    "Agent: Dr. {LAST} at the clinic in {CITY} sent the prescription.",
    "spk_1: this is {person} calling about my prescription",
    "spk_1: my name is {person} and i live in {city}",
    "[10:02] Customer: my date of birth is {DATE}",
    "[10:03] Agent: Thanks {FIRST}, and your zip?",
    "Customer: my husband {PERSON} picks it up on Friday.",
)


@dataclass
class Call:
    """One call or chat: its text and labelled (start, end, entity) spans."""

    text: str = ""
    labels: list[tuple[int, int, str]] = field(default_factory=list)


def _values(rng: random.Random) -> dict[str, tuple[str, str | None]]:
    """One fresh value per slot: slot -> (text, entity label or None for unlabelled)."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    city = rng.choice(CITIES)
    return {
        "PERSON": (f"{first} {last}", "PERSON"),
        "person": (f"{first} {last}".lower(), "PERSON"),
        "FIRST": (first, "PERSON"),
        "LAST": (last, "PERSON"),
        "CITY": (city, "LOCATION"),
        "city": (city.lower(), "LOCATION"),
        "DATE": (_date(rng), "DATE_TIME"),
        "PHONE": (f"({rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}", "PHONE_NUMBER"),
        "EMAIL": (f"{first}.{last}{rng.randint(1, 99)}@example.com".lower(), "EMAIL_ADDRESS"),
        "SSN": (_ssn(rng), "US_SSN"),
        "MRN": (f"{rng.randint(10, 99)}-{rng.randint(100000, 999999)}", "MEDICAL_RECORD_NUMBER"),
        "state": (rng.choice(STATES), None),
        "country": (rng.choice(COUNTRIES), None),
        "month": (rng.choice(MONTHS), None),
    }


def _date(rng: random.Random) -> str:
    month, day, year = rng.randint(1, 12), rng.randint(1, 28), rng.randint(1935, 2005)
    if rng.random() < 0.5:
        return f"{MONTHS[month - 1]} {day}, {year}"
    return f"{month:02d}/{day:02d}/{year}"


def _ssn(rng: random.Random) -> str:
    area = rng.choice([n for n in range(101, 665) if n != 666])
    return f"{area:03d}-{rng.randint(10, 99):02d}-{rng.randint(1000, 9999):04d}"


def _append(call: Call, template: str, values: dict[str, tuple[str, str | None]]) -> None:
    """Fill `template` into the call, labelling each filled slot at its exact offsets."""
    if call.text:
        call.text += "\n"
    position = 0
    while True:
        open_at = template.find("{", position)
        if open_at < 0:
            call.text += template[position:]
            return
        close_at = template.index("}", open_at)
        call.text += template[position:open_at]
        value, label = values[template[open_at + 1 : close_at]]
        if label:
            call.labels.append((len(call.text), len(call.text) + len(value), label))
        call.text += value
        position = close_at + 1


def make_calls(count: int, seed: int = 20250529) -> list[Call]:
    """`count` calls of 12-30 turns: mostly filler, some identifiers, some hard negatives."""
    rng = random.Random(seed)
    calls: list[Call] = []
    for _ in range(count):
        call = Call()
        values = _values(rng)
        for _ in range(rng.randint(12, 30)):
            roll = rng.random()
            if roll < 0.22:
                _append(call, rng.choice(POSITIVE), values)
            elif roll < 0.35:
                _append(call, rng.choice(NEGATIVE), values)
            else:
                _append(call, rng.choice(FILLER), values)
        calls.append(call)
    return calls
