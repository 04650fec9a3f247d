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
        "Customer: Yeah. My first name is John and last name is Doe.",
        [("HIPAA001", "PERSON", "John"), ("HIPAA001", "PERSON", "Doe")],
        id="first-and-last-name-stated",
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
    # Names the conversation states: kept whatever the model makes of a rare name.
    pytest.param(
        "Customer: hi, my name is Oluwaseun Adeyemi.",
        [("HIPAA001", "PERSON", "Oluwaseun Adeyemi")],
        id="stated-rare-name",
    ),
    pytest.param(
        "Customer: my husband's name is Dariusz, he picks it up",
        [("HIPAA001", "PERSON", "Dariusz")],
        id="relative-name-stated",
    ),
    pytest.param(
        "Patient name: Tomasz Wojcik\nReason: refill",
        [("HIPAA001", "PERSON", "Tomasz Wojcik")],
        id="form-field-name",
    ),
    pytest.param(
        "Agent: and what's your last name?\nCustomer: Okonkwo",
        [("HIPAA001", "PERSON", "Okonkwo")],
        id="answer-to-last-name-question",
    ),
    pytest.param(
        "Agent: can I get your full name please\nCustomer: uh yeah it's dana whitfield",
        [("HIPAA001", "PERSON", "dana whitfield")],
        id="asr-answer-to-name-question",
    ),
    pytest.param(
        "Agent: what is your first name\nCustomer: kwame\nAgent: and last name\nCustomer: mensah",
        [("HIPAA001", "PERSON", "kwame"), ("HIPAA001", "PERSON", "mensah")],
        id="asr-first-and-last-name-answers",
    ),
    pytest.param(
        "Bot: What's the name on the account? User: Amara J. Nwosu",
        [("HIPAA001", "PERSON", "Amara J. Nwosu")],
        id="chat-answer-same-line-initial",
    ),
    pytest.param(
        "Agent: Thanks Priya, and your zip?",
        [("HIPAA001", "PERSON", "Priya")],
        id="greeting-name",
    ),
    pytest.param(
        "Nurse: Dr. Okafor will call you back this afternoon",
        [("HIPAA001", "PERSON", "Okafor")],
        id="title-before-surname",
    ),
    pytest.param(
        "Customer: it's Jess, everyone calls me Jess",
        [("HIPAA001", "PERSON", "Jess"), ("HIPAA001", "PERSON", "Jess")],
        id="calls-me",
    ),
    pytest.param(
        "Customer: um this is grace calling about my refill",
        [("HIPAA001", "PERSON", "grace")],
        id="asr-this-is-name-calling",
    ),
    pytest.param(
        "Customer: i'm maria calling from the clinic",
        [("HIPAA001", "PERSON", "maria")],
        id="asr-im-name-calling",
    ),
    pytest.param(
        "Customer: I'm calling about Linda Garcia's refill",
        [("HIPAA001", "PERSON", "Linda Garcia")],
        id="possessive-trimmed",
    ),
    pytest.param(
        "Customer: I'm picking it up for my wife, Ngozi.",
        [("HIPAA001", "PERSON", "Ngozi")],
        id="relative-then-name",
    ),
    pytest.param(
        "Customer: we just moved to Tacoma last month",
        [("HIPAA002", "LOCATION", "Tacoma")],
        id="place-after-moved-to",
    ),
    pytest.param(
        "Customer: she's in Kansas City, Missouri.",
        [("HIPAA002", "LOCATION", "Kansas City")],
        id="city-named-after-its-state",
    ),
    pytest.param(
        "Customer: I live in New York City now",
        [("HIPAA002", "LOCATION", "New York City")],
        id="new-york-city-not-the-state",
    ),
    # A city named like a person, after a place cue, is a place.
    pytest.param(
        "Customer: yeah i live in eugene now",
        [("HIPAA002", "LOCATION", "eugene")],
        id="asr-city-named-like-a-person",
    ),
    # The city of a postal address, which the small model reading the address calls an
    # organisation (the street and ZIP are HIPAA010's and HIPAA011's).
    pytest.param(
        "Caller: The service address is 8395 Sycamore Court, Boise, ID 64973. The tracking"
        " number is on the label.",
        [("HIPAA002", "LOCATION", "Boise")],
        id="city-of-a-street-address",
    ),
    pytest.param(
        "spk_1: the service address is 8804 lakeview lane, reno, nv 89501. hi, thanks",
        [("HIPAA002", "LOCATION", "reno")],
        id="asr-city-of-a-street-address",
    ),
    pytest.param(
        "Customer: it's 12 Oak Ave, Apt 5, Twin Falls, Idaho",
        [("HIPAA002", "LOCATION", "Twin Falls")],
        id="city-after-an-apartment",
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
    pytest.param("Customer: I'm glad to hear that, honestly", id="im-adjective"),
    pytest.param("Customer: i'm diabetic, is that okay", id="asr-im-condition"),
    pytest.param("Customer: call me back at 5 please", id="call-me-back"),
    pytest.param(
        "Agent: what's your name?\nCustomer: why do you need it?", id="name-question-refused"
    ),
    pytest.param(
        "Agent: can I have the name on the account?\nCustomer: it's under my wife",
        id="name-question-no-name",
    ),
    pytest.param(
        "Agent: can you spell your last name?\nCustomer: s m i t h", id="spelling-is-hipaa035s"
    ),
    pytest.param(
        "Customer: it's 69 Gordon Terrace, the blue door", id="street-named-like-a-person"
    ),
    pytest.param("Customer: the letter went to 12 Lovers Lane", id="house-number-street"),
    pytest.param("Agent: Hello, thanks for calling, how can I help?", id="greeting-no-name"),
    pytest.param("Patient name: N/A\nName: Unknown", id="name-field-without-a-name"),
    pytest.param("Customer: it's for my daughter, she's seven", id="relative-without-name"),
    pytest.param("Customer: I'm thinking of moving to Ohio next year", id="moving-to-a-state"),
    pytest.param(
        "Customer: I paid 20 dollars at the court, or so, in cash", id="street-word-then-or"
    ),
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
