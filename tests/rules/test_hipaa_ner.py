"""HIPAA001 (names) and HIPAA002 (cities, counties, facilities): the spaCy NER rules.

Positives read like calls and chats, including ASR lower case with a cue ("my name is john
smith"); hard negatives are what a stock NER model flags in contact-center text and Safe Harbor
does not ask for: speaker labels, role words, card brands, "CVV 123", states and countries,
weekdays and months, product names. The model is loaded once for the module.
"""

from __future__ import annotations

import pytest

from callguard import Scanner
from callguard.formats import read_text
from callguard.registry import builtin_rules_dir, load_pack


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(rules=load_pack(builtin_rules_dir() / "hipaa_ner.yaml"))


def found(scanner: Scanner, text: str) -> list[tuple[str, str, str]]:
    """(rule id, entity type, raw text) of each finding of a plain-text transcript."""
    findings = [f for doc in read_text("call.txt", text) for f in scanner.scan_document(doc)]
    return [
        (
            f.rule_id,
            f.entity_type,
            text[f.location.char_offset : f.location.char_offset + f.location.char_length],
        )
        for f in findings
    ]


POSITIVES = [
    pytest.param(
        "Customer: hi, yes, my name is John Carter and I need a refill.",
        [("HIPAA001", "PERSON", "John Carter")],
        id="name-stated",
    ),
    pytest.param(
        "Customer: hi yes my name is john smith and I need to, uh, reschedule",
        [("HIPAA001", "PERSON", "john smith")],
        id="asr-lower-case-name-cue",
    ),
    pytest.param(
        "spk_1: um this is maria calling about my prescription",
        [("HIPAA001", "PERSON", "maria")],
        id="asr-this-is-calling",
    ),
    pytest.param(
        "Customer: it's spelled s m i t h",
        [("HIPAA001", "PERSON", "s m i t h")],
        id="spelled-out",
    ),
    pytest.param(
        "Customer: I'm calling for my mom, Linda Garcia.",
        [("HIPAA001", "PERSON", "Linda Garcia")],
        id="relative",
    ),
    pytest.param(
        "Agent: Is that Dr. Patel at the clinic?",
        [("HIPAA001", "PERSON", "Patel")],
        id="title-trimmed",
    ),
    pytest.param(
        "Agent: Thank you for calling, this is Maria, how can I help you?",
        [("HIPAA001", "PERSON", "Maria")],
        id="agent-introduces-herself",
    ),
    pytest.param(
        "Customer: I live in Springfield, Ohio, near the hospital.",
        [("HIPAA002", "LOCATION", "Springfield")],
        id="city-state-trimmed",
    ),
    pytest.param(
        "Customer: my name is john smith and I live in springfield ohio",
        [("HIPAA001", "PERSON", "john smith"), ("HIPAA002", "LOCATION", "springfield")],
        id="asr-name-and-city",
    ),
    pytest.param(
        "Customer: I'm calling from Chicago about my refill.",
        [("HIPAA002", "LOCATION", "Chicago")],
        id="city-after-from",
    ),
    pytest.param(
        "[10:02] Customer: we moved to Tucson last spring",
        [("HIPAA002", "LOCATION", "Tucson")],
        id="chat-log-city",
    ),
]

NEGATIVES = [
    pytest.param("Agent: Thanks for calling, how can I help you today?", id="greeting"),
    pytest.param("Customer: the CVV is 123", id="cvv-123"),
    pytest.param("Customer: CVV 123, expiry 04/27", id="cvv-123-bare"),
    pytest.param("Customer: Thanks Visa, I mean, thanks.", id="thanks-visa"),
    pytest.param("Agent: Is this for your American Express or Discover card?", id="card-brands"),
    pytest.param("Agent: Did you try paying with Apple Pay or PayPal?", id="products"),
    pytest.param("Customer: I tried on Chrome and Safari, same thing.", id="browsers"),
    pytest.param("Customer: I moved here from Ohio, but I grew up in Canada.", id="state-country"),
    pytest.param("Agent: we ship anywhere in the United States", id="united-states"),
    pytest.param("Agent: that plan is only offered in New Mexico and TX.", id="state-names"),
    pytest.param("Agent: we are closed Monday, and again in May.", id="weekday-month"),
    pytest.param("Agent:\nCustomer:\nspk_0:\nSupervisor: okay", id="speaker-labels-only"),
    pytest.param("spk_0: thank you for calling the pharmacy", id="asr-greeting"),
    pytest.param("Customer: i'm taking over from here, thanks", id="asr-im-verb"),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_name_or_place_found_at_exact_span(
    scanner: Scanner, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(scanner, text) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_phi_is_not_reported(scanner: Scanner, text: str) -> None:
    assert found(scanner, text) == []


def test_agent_smith_reports_the_surname_only(scanner: Scanner) -> None:
    # A decision: a role word before a surname is trimmed, the surname is still a name.
    assert found(scanner, "Customer: is Agent Smith still there?") == [
        ("HIPAA001", "PERSON", "Smith")
    ]


def test_both_rules_share_one_pass_over_a_call(scanner: Scanner) -> None:
    call = (
        "Agent: Thank you for calling, this is Maria.\n"
        "Customer: hi, um, my name is Olga Novak, I live in Dayton.\n"
        "Agent: Thanks, Olga. And the card, is it the Visa?\n"
    )
    assert found(scanner, call) == [
        ("HIPAA001", "PERSON", "Maria"),
        ("HIPAA001", "PERSON", "Olga Novak"),
        ("HIPAA002", "LOCATION", "Dayton"),
        ("HIPAA001", "PERSON", "Olga"),
    ]
