"""PCI010-PCI013: sensitive authentication data (CVV, PIN, track data) and card expiry dates.

Positives read like calls: the agent asks, the customer answers in digits or words, with fillers
and ASR commas. Each case runs twice: as a transcript with turns (`formats.read_text`) and as a
plain string without turns (`Scanner.scan_text`, lines stand in for turns). Negatives are the
numbers that surround card talk in a contact center and are not SAD.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from callguard import Scanner
from callguard.errors import RuleError
from callguard.formats import read_text
from callguard.registry import load_pack

ENTITIES = frozenset(("CARD_CVV", "CARD_EXPIRY", "CARD_TRACK_DATA", "CARD_PIN"))


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(profile="pci")


def found(scanner: Scanner, text: str, *, turns: bool) -> list[tuple[str, str, tuple[str, ...]]]:
    """(rule id, entity type, raw text of each location) of every SAD finding."""
    if turns:
        findings = [f for doc in read_text("call.txt", text) for f in scanner.scan_document(doc)]
    else:
        findings = scanner.scan_text(text)
    return [
        (
            f.rule_id,
            f.entity_type,
            tuple(text[loc.char_offset : loc.char_offset + loc.char_length] for loc in f.locations),
        )
        for f in findings
        if f.entity_type in ENTITIES
    ]


CVV = "PCI010", "CARD_CVV"
EXPIRY = "PCI011", "CARD_EXPIRY"
TRACK = "PCI012", "CARD_TRACK_DATA"
PIN = "PCI013", "CARD_PIN"

POSITIVES = [
    # -- PCI010 security codes
    pytest.param(
        "Agent: got it. and the little number on the back, by the signature strip?\n"
        "Customer: four two one.",
        CVV,
        "four two one",
        id="cvv-number-on-the-back",
    ),
    pytest.param(
        "Agent: okay, and the three digits on the back of the card?\n"
        "Customer: uh, yeah, it's seven three seven.",
        CVV,
        "seven three seven",
        id="cvv-spoken-next-turn",
    ),
    pytest.param(
        "Agent: and the CVV?\nCustomer: hold on.\nAgent: no problem, take your time.\n"
        "Customer: okay, it's 7 3 7",
        CVV,
        "7 3 7",
        id="cvv-answer-two-turns-later",
    ),
    pytest.param(
        "Agent: it's an Amex, so the four digit code on the front please.\n"
        "Customer: one two three four",
        CVV,
        "one two three four",
        id="cid-amex-four-digits",
    ),
    pytest.param(
        "Agent: What is the CVV on your Discover?\nCustomer: Um, it is, um, 2 4 9.",
        CVV,
        "2 4 9",
        id="cvv-fillers-and-commas",
    ),
    pytest.param(
        "Agent: CVV on the visa?\nCustomer: oh, seven three seven",
        CVV,
        "seven three seven",
        id="cvv-oh-is-an-interjection",
    ),
    pytest.param(
        "Agent: the card ending in 1111, what's the security code?\n"
        "Customer: ending 1111? one sec\nAgent: the code on the back\nCustomer: 737",
        CVV,
        "737",
        id="cvv-after-last-four-readback",
    ),
    pytest.param(
        "[10:02:13] Agent: the CVV on the visa please\n[10:02:19] Customer: seven three seven",
        CVV,
        "seven three seven",
        id="cvv-timestamped-lines",
    ),
    pytest.param("Customer: my mastercard security code is 123", CVV, "123", id="cvv-same-turn"),
    pytest.param("log: card=5555555555554444 cvv2=123 status=declined", CVV, "123", id="cvv-log"),
    # -- PCI011 expiry dates
    pytest.param(
        "Agent: and the expiration date on the card?\nCustomer: oh four twenty seven",
        EXPIRY,
        "oh four twenty seven",
        id="expiry-spoken-mmyy",
    ),
    pytest.param(
        "Agent: and when does the card expire?\nCustomer: April twenty twenty seven",
        EXPIRY,
        "April twenty twenty seven",
        id="expiry-month-spoken-year",
    ),
    pytest.param(
        "Agent: expiration date on the mastercard?\nCustomer: it's 04/2027",
        EXPIRY,
        "04/2027",
        id="expiry-mm-yyyy",
    ),
    pytest.param(
        "Agent: what's the expiry on the card?\nCustomer: oh four slash twenty seven",
        EXPIRY,
        "oh four slash twenty seven",
        id="expiry-spoken-slash",
    ),
    pytest.param(
        "Customer: it expires in April of '27, the Mastercard",
        EXPIRY,
        "April of '27",
        id="expiry-april-of-27",
    ),
    pytest.param(
        "Agent: the card exp date?\nCustomer: 12-26", EXPIRY, "12-26", id="expiry-mm-dash-yy"
    ),
    pytest.param(
        "Agent: I'll need the card's expiration\nCustomer: sure, December twenty six",
        EXPIRY,
        "December twenty six",
        id="expiry-month-two-digit-year",
    ),
    pytest.param("card exp 0427 auth declined", EXPIRY, "0427", id="expiry-compact-log"),
    pytest.param(
        "Customer: visa 4111 1111 1111 1111 04/27", EXPIRY, "04/27", id="expiry-after-pan"
    ),
    pytest.param(
        "Agent: and the visa is good through?\nCustomer: April 2027",
        EXPIRY,
        "April 2027",
        id="expiry-good-through",
    ),
    # -- PCI012 track data
    pytest.param(
        "swipe raw=%B4111111111111111^DOE/JANE^27121010000000000000? len=58",
        TRACK,
        "%B4111111111111111^DOE/JANE^27121010000000000000?",
        id="track-1",
    ),
    pytest.param(
        "DEBUG track2=;4111111111111111=27121010000000000? ok",
        TRACK,
        ";4111111111111111=27121010000000000?",
        id="track-2-sentinels",
    ),
    pytest.param(
        "auth req pan_data=5555555555554444=2712201123400000 amt=12.00",
        TRACK,
        "5555555555554444=2712201123400000",
        id="track-2-log-form",
    ),
    # -- PCI013 PINs
    pytest.param(
        "Customer: my debit card got stuck in the ATM, my PIN is four three two one",
        PIN,
        "four three two one",
        id="pin-spoken-same-turn",
    ),
    pytest.param(
        "Agent: what PIN would you like on the new debit card?\nCustomer: um, 9 0 1 2",
        PIN,
        "9 0 1 2",
        id="pin-next-turn",
    ),
    pytest.param(
        "hsm: pin_block=0412AC89ABCDEF12 ksn=FFFF9876543210E00001",
        PIN,
        "0412AC89ABCDEF12",
        id="pin-block-hex-log",
    ),
    pytest.param(
        "\n".join(f"{i:05d} switch: auth ok stan={i:06d} rc=00" for i in range(300))
        + '\n{"event": "pin_change", "pinBlock": "0412ac89abcdef12", "ksn": "FFFF98765432"}',
        PIN,
        "0412ac89abcdef12",
        id="pin-block-json-deep-in-a-long-log",
    ),
]

NEGATIVES = [
    pytest.param(
        "Customer: the long number on the front is 4012 8888 8888 1881. the service address is "
        "5565 sycamore boulevard, reno.\nAgent: I see the account was opened in August 2024.",
        id="long-number-on-the-front-is-the-pan-not-a-code-prompt",
    ),
    pytest.param(
        "Agent: and the security code on the back of your visa?\n"
        "Customer: you can reach me at (727) 555-0127 if we get cut off",
        id="area-code-in-brackets",
    ),
    pytest.param(
        "Agent: and the security code on the back of the card?\n"
        "Customer: [CARD_CVV], and call me on (415) 555-0132 if it fails",
        id="cvv-already-redacted-tag",
    ),
    pytest.param(
        "Agent: and the security code on the back of the card?\nCustomer: ###, my zip is 94107",
        id="cvv-already-redacted-mask",
    ),
    pytest.param("Agent: I'll call you back in 123 minutes about your card", id="minutes"),
    pytest.param("Agent: your room is 123, the card key is at the desk", id="room-number"),
    pytest.param("Customer: the card portal says code 404 error", id="code-404"),
    pytest.param(
        "Agent: what's the CVV on the card?\nCustomer: hold on, let me find it.",
        id="cvv-asked-not-answered",
    ),
    pytest.param("Agent: we texted you a security code\nCustomer: 4821", id="one-time-passcode"),
    pytest.param(
        "Agent: what's the CVV?\nCustomer: I'm in room 123 at the hotel, I'll check the card later",
        id="cvv-answer-is-a-room",
    ),
    pytest.param(
        "Agent: what's the CVV on the card?\nCustomer: it's, uh, $123 I think was the charge",
        id="cvv-answer-is-an-amount",
    ),
    pytest.param(
        "Agent: and the security code for the card?\nCustomer: call me at 415-555-0132 instead",
        id="cvv-answer-is-a-phone",
    ),
    pytest.param(
        "Agent: security code on the back of the card?\nCustomer: at 10:45 I'll have it",
        id="cvv-answer-is-a-time",
    ),
    pytest.param(
        "Agent: the CVV for the visa?\nCustomer: the card ending in 4242?",
        id="cvv-answer-is-last-four",
    ),
    pytest.param(
        "Agent: your order number is 733 and the security code was sent by text",
        id="order-number-and-sms-code",
    ),
    pytest.param(
        "Agent: CPT 99213 and ICD-10 E11.9 for the claim, the card on file?\n"
        "Customer: yes the visa, code 404 error on the portal",
        id="medical-codes",
    ),
    pytest.param("Agent: your appointment is on 04/27 at 3pm, bring your card", id="appointment"),
    pytest.param(
        "Agent: your visa, the expiry, still good?\nCustomer: yes, I paid 12.50 on 04/27/2024",
        id="full-date-is-not-expiry",
    ),
    pytest.param(
        "Agent: what's your date of birth? and the card number\nCustomer: 04/27/1990",
        id="birthday",
    ),
    pytest.param("Agent: your warranty expires April 2027, card on file is fine", id="warranty"),
    pytest.param("Agent: invoice date 04/27 for the card payment", id="invoice-date"),
    pytest.param("Agent: your subscription expires 04/27", id="expiry-without-card-talk"),
    pytest.param("Agent: card ending 4242, expiring soon", id="last-four-expiring-no-date"),
    pytest.param("Customer: the PIN code for the door is 4321", id="door-pin"),
    pytest.param(
        "Agent: what's the pin for your voicemail\nCustomer: 1234, and my card is the visa",
        id="voicemail-pin",
    ),
    pytest.param("Agent: I've pinned a note to your card account, reference 4321", id="pinned"),
    pytest.param(
        "Agent: enter your ATM PIN on the keypad now.\nCustomer: done, the reference was 4321.",
        id="pin-answer-is-a-reference",
    ),
    pytest.param(
        "Agent: PIN number for the debit card?\nCustomer: I can't give that out", id="pin-refused"
    ),
    pytest.param(
        "swipe raw=%B4111111111111112^DOE/JANE^27121010000000000000?", id="track-luhn-fails"
    ),
    pytest.param("ratio 4012888888881881=27139990000 invalid month", id="track-bad-month"),
    pytest.param("query ?id=1234567890123=2712101 page=2", id="track-not-a-card"),
    pytest.param("Call me back on 415 555 0132 about my visa", id="phone"),
    pytest.param("Agent: claim 2024051500123 for the card dispute", id="claim-number"),
]


@pytest.mark.parametrize("turns", [True, False], ids=["turns", "lines"])
@pytest.mark.parametrize(("text", "rule", "raw"), POSITIVES)
def test_sad_found_at_exact_span(
    scanner: Scanner, text: str, rule: tuple[str, str], raw: str, turns: bool
) -> None:
    results = found(scanner, text, turns=turns)
    assert [r for r in results if r[1] == rule[1]] == [(*rule, (raw,))]


@pytest.mark.parametrize("turns", [True, False], ids=["turns", "lines"])
@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negative_not_flagged(scanner: Scanner, text: str, turns: bool) -> None:
    assert found(scanner, text, turns=turns) == []


def test_whole_card_exchange_gives_each_element_once(scanner: Scanner) -> None:
    call = (
        "Agent: card number?\nCustomer: 4111 1111 1111 1111\nAgent: expiration?\n"
        "Customer: oh four, twenty seven\nAgent: and the security code?\n"
        "Customer: seven, three, seven\n"
    )
    assert found(scanner, call, turns=True) == [
        (*EXPIRY, ("oh four, twenty seven",)),
        (*CVV, ("seven, three, seven",)),
    ]


def test_expiry_and_cvv_in_one_answer_are_told_apart(scanner: Scanner) -> None:
    call = "Agent: expiry and the CVV on the visa?\nCustomer: oh four twenty seven, and 737"
    assert found(scanner, call, turns=True) == [
        (*EXPIRY, ("oh four twenty seven",)),
        (*CVV, ("737",)),
    ]


def test_sad_is_fully_masked_and_never_shown(scanner: Scanner) -> None:
    text = "DEBUG track2=;4111111111111111=27121010000000000? cvv2=737"
    findings = scanner.scan_text(text)
    shown = " ".join(f"{f!r} {f} {f.message}" for f in findings if f.entity_type in ENTITIES)
    assert {f.rule_id for f in findings} >= {"PCI010", "PCI012"}
    assert "737" not in shown
    assert "4111" not in shown
    assert "track 2" in shown


def test_speaker_and_line_of_a_spoken_answer(scanner: Scanner) -> None:
    call = "Agent: and the CVV?\nCustomer: seven three seven\n"
    (document,) = read_text("call.txt", call)
    (finding,) = [f for f in scanner.scan_document(document) if f.rule_id == "PCI010"]
    assert (finding.location.start_line, finding.location.speaker) == (2, "Customer")


def test_invalid_detector_options_name_file_and_rule(tmp_path: Path) -> None:
    pack = tmp_path / "custom.yaml"
    pack.write_text(
        "- id: TEST010\n  title: t\n  entity_type: CARD_CVV\n  severity: error\n"
        "  profiles: [pci]\n  what: w\n  why: y\n  cite: ['PCI DSS v4.0 3.3.1']\n"
        "  examples: {bad: [x], good: [y]}\n  detector: prompted_digits\n"
        "  options: {prompts: ['(cvv']}\n"
    )
    with pytest.raises(RuleError) as error:
        load_pack(pack)
    assert str(error.value).startswith(f"{pack}: TEST010: invalid options")
