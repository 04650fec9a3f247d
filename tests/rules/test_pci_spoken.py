"""PCI002: card numbers said aloud, mixed with digits, or read out in pieces over turns.

Positives read like calls; each asserts the rule, and that every location's raw text is exactly
one spoken piece. Negatives are what contact-center speech is full of: read-backs of the last
four, phone numbers, amounts, dates, order numbers, and digits from two different speakers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from callguard import Scanner
from callguard.model import Finding

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pci"


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(profile="pci")


def pieces(raw: str, finding: Finding) -> list[str]:
    return [raw[loc.char_offset : loc.char_offset + loc.char_length] for loc in finding.locations]


def spoken_cards(scanner: Scanner, text: str) -> list[Finding]:
    return [f for f in scanner.scan_text(text) if f.entity_type == "CREDIT_CARD"]


POSITIVES = [
    pytest.param(
        "Customer: yeah it's four one one one, one one one one, one one one one, one one one one",
        ["four one one one", "one one one one", "one one one one", "one one one one"],
        id="visa-words-asr-commas",
    ),
    pytest.param(
        "Caller: um forty one eleven, eleven eleven, eleven eleven, eleven eleven",
        ["forty one eleven", "eleven eleven", "eleven eleven", "eleven eleven"],
        id="visa-pairs",
    ),
    pytest.param(
        "Agent: so that's 4111 one one one one one one one one uh one one one one?",
        ["4111 one one one one one one one one", "one one one one"],
        id="visa-agent-readback-mixed",
    ),
    pytest.param(
        "Customer: five five five five, five five five five, five five five five,"
        " four four four four",
        [
            "five five five five",
            "five five five five",
            "five five five five",
            "four four four four",
        ],
        id="mastercard-51-55",
    ),
    pytest.param(
        "Customer: it's twenty two twenty three, double oh three one, twenty two double oh,"
        " thirty two twenty two",
        [
            "twenty two twenty three",
            "double oh three one",
            "twenty two double oh",
            "thirty two twenty two",
        ],
        id="mastercard-2-series",
    ),
    pytest.param(
        "Caller: the Amex is three seven eight two, eight two two four six three,"
        " one double oh oh five",
        ["three seven eight two", "eight two two four six three", "one double oh oh five"],
        id="amex-4-6-5",
    ),
    pytest.param(
        "Customer: discover card, sixty eleven, eleven eleven, eleven eleven, eleven seventeen",
        ["sixty eleven", "eleven eleven", "eleven eleven", "eleven seventeen"],
        id="discover",
    ),
    pytest.param(
        "Customer: JCB, thirty five thirty, 1113 3330, double zero double zero",
        ["thirty five thirty", "1113 3330", "double zero double zero"],
        id="jcb-mixed",
    ),
    pytest.param(
        "Customer: diners club, three oh five six, nine three oh nine oh two, five nine oh four",
        ["three oh five six", "nine three oh nine oh two", "five nine oh four"],
        id="diners-4-6-4",
    ),
    pytest.param(
        "Customer: union pay six two double oh, oh oh oh oh, oh oh oh oh, oh oh oh five",
        ["six two double oh", "oh oh oh oh", "oh oh oh oh", "oh oh oh five"],
        id="unionpay",
    ),
    pytest.param(
        "Customer: four one one one one one one one one one one one one one one one one two three",
        ["four one one one one one one one one one one one one one one one"],
        id="pan-then-cvv-without-pause",
    ),
    pytest.param(
        "Customer: 4111, 1111, 1111, 1111.",
        ["4111", "1111", "1111", "1111"],
        id="digits-with-asr-commas-pci001-misses",
    ),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_spoken_card_found_with_each_piece(
    scanner: Scanner, text: str, expected: list[str]
) -> None:
    (finding,) = spoken_cards(scanner, text)
    assert (finding.rule_id, finding.severity.value) == ("PCI002", "error")
    assert pieces(text, finding) == expected


SPLITS = [
    pytest.param(
        "Agent: go ahead with the card number\nCustomer: four one one one\nAgent: go on\n"
        "Customer: one one one one\nAgent: mm-hmm\nCustomer: one one one one one one one one",
        ["four one one one", "one one one one", "one one one one one one one one"],
        id="visa-three-turns",
    ),
    pytest.param(
        "Customer: it's 4111 1111\nAgent: okay, and the next four?\nCustomer: 1111\n"
        "Agent: and the last four?\nCustomer: 1111",
        ["4111 1111", "1111", "1111"],
        id="digits-split-over-turns",
    ),
    pytest.param(
        "Customer: five five five five, five five five five, hang on\nAgent: sure\n"
        "Customer: sorry, five five five five four four four four",
        ["five five five five", "five five five five", "five five five five four four four four"],
        id="mastercard-hang-on",
    ),
    pytest.param(
        "Customer: 4111 1111? one one one one one one one one",
        ["4111 1111", "one one one one one one one one"],
        id="digits-before-the-spoken-part-in-one-turn",
    ),
    pytest.param(
        "Customer: the card is four one one one one one one one\n"
        "Agent: mm-hmm, go on, I'm listening\n"
        "Customer: yeah okay the rest is 1111 1111",
        ["four one one one one one one one", "1111 1111"],
        id="continued-after-five-words-of-the-next-turn",
    ),
    pytest.param(
        "Customer: my card is 4111\nAgent: okay\nAgent: one moment\nAgent: go on\n"
        "Customer: 1111 is next\nAgent: yes\nAgent: mm-hmm\nAgent: and?\n"
        "Customer: 1111 then\nAgent: right\nAgent: got it\nAgent: last part\n"
        "Customer: 1111 done",
        ["4111", "1111", "1111", "1111"],
        id="four-pieces-three-other-turns-apart-the-widest-window",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_number_said_over_turns_is_one_finding(
    scanner: Scanner, text: str, expected: list[str]
) -> None:
    (finding,) = spoken_cards(scanner, text)
    assert finding.rule_id == "PCI002"
    assert pieces(text, finding) == expected
    assert "parts" in finding.message


NEGATIVES = [
    pytest.param(
        "spk_0: the service address is 6464 orchard street, portland, or 81665. "
        "you can reach me at (923) 555-0106.",
        id="house-number-zip-phone-in-one-turn",
    ),
    pytest.param(
        "Caller: last four 8210, yes that's mine. You can reach me at (628) 555-0187. "
        "The service address is 2528 Quarry Road, Reno, NV 68979.",
        id="readback-phone-house-zip-in-one-turn",
    ),
    pytest.param(
        "Agent: that's the card ending in one one one one, correct?", id="readback-ending"
    ),
    pytest.param("Agent: okay, the last four are 4242, is that right?", id="readback-last-four"),
    pytest.param(
        "Customer: four one one one one one one one one one one one one one one two",
        id="luhn-fails",
    ),
    pytest.param(
        "Customer: my order number is four one one one one one one one one one one one one one"
        " one two",
        id="order-number-luhn-fails",
    ),
    pytest.param("Customer: it's four one five, five five five, oh one three two", id="phone"),
    pytest.param("Agent: the total is two hundred forty nine ninety nine", id="amount"),
    pytest.param("Customer: it was back in twenty twenty four at ten thirty", id="date-time"),
    pytest.param("Customer: sure, it's 4111 1111 1111 1111", id="digits-are-pci001"),
    pytest.param(
        "Customer: four one one one\nAgent: go on\nSupervisor: one one one one one one one one"
        " one one one one",
        id="different-speakers",
    ),
    pytest.param(
        "Agent: read me the card number\nCustomer: four one one one one one one one\n"
        "Agent: one one one one one one one one",
        id="agent-does-not-complete-customer",
    ),
    pytest.param(
        "Customer: four one one one\nAgent: a\nAgent: b\nAgent: c\nAgent: d\n"
        "Customer: one one one one one one one one one one one one",
        id="too-many-turns-between",
    ),
    pytest.param(
        "Customer: four one one one one one one one\nAgent: "
        + "let me explain our refund policy in detail " * 6
        + "\nCustomer: one one one one one one one one",
        id="too-far-apart",
    ),
    pytest.param(
        "Customer: four one one one\nfour one one one one one one one one one one one one",
        id="unlabelled-lines-not-joined",
    ),
    pytest.param(
        "Customer: last four 5556, yes that's mine. You can reach me at (251) 555-0154.",
        id="last-then-phone-in-prose",
    ),
    pytest.param(
        "Caller: the service address is 7234 union road, albany, ny 38081. last four 5904",
        id="address-and-zip-in-prose",
    ),
    pytest.param(
        "Customer: order CPL-86102 shipped, my phone is 415 555 0132 ext 1234567",
        id="ids-phone-extension",
    ),
    pytest.param(
        # 4155550132 + 100008 passes Luhn as a Visa; the first part is said as a phone number.
        "Customer: best number is four one five, five five five, oh one three two\n"
        "Agent: thanks, and your member number?\nCustomer: one oh oh oh oh eight",
        id="phone-said-in-groups-of-three-three-four-then-digits",
    ),
]


def test_piece_said_after_many_other_words_does_not_continue_a_number(scanner: Scanner) -> None:
    """A later turn's piece continues a number only near the turn's start (max_own_words)."""
    text = (
        "Customer: the card is four one one one one one one one\n"
        "Customer: and my order from last week with the blue shirt was 1111 1111"
    )
    assert spoken_cards(scanner, text) == []


@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negative_not_flagged(scanner: Scanner, text: str) -> None:
    assert [f.rule_id for f in spoken_cards(scanner, text) if f.rule_id == "PCI002"] == []


def test_digit_only_card_is_left_to_pci001(scanner: Scanner) -> None:
    (finding,) = spoken_cards(scanner, "Customer: sure, it's 4111 1111 1111 1111")
    assert finding.rule_id == "PCI001"


def test_card_words_raise_confidence_and_order_words_lower_it(scanner: Scanner) -> None:
    said = "four one one one one one one one one one one one one one one one"
    (card,) = spoken_cards(scanner, f"Customer: my visa card is {said}")
    (plain,) = spoken_cards(scanner, f"Customer: {said}")
    (order,) = spoken_cards(scanner, f"Customer: the order reference is {said}")
    assert card.confidence > plain.confidence > order.confidence


def test_finding_never_holds_the_number(scanner: Scanner) -> None:
    (finding,) = spoken_cards(scanner, "Customer: four one one one " + "one one one one " * 3)
    assert finding.preview == "411111******1111"
    assert "4111111111111111" not in repr(finding) + finding.message


# -- transcript formats, through the same entry point as the CLI -------------------------------


def scan_fixture(scanner: Scanner, name: str) -> tuple[str, list[Finding]]:
    data = (FIXTURES / name).read_bytes()
    found = [f for f in scanner.scan_bytes(data, path=name) if f.entity_type == "CREDIT_CARD"]
    return data.decode("utf-8"), found


def test_plain_text_call_amex_split_over_turns(scanner: Scanner) -> None:
    raw, (finding,) = scan_fixture(scanner, "call-pieces-amex.txt")
    assert finding.rule_id == "PCI002"
    assert pieces(raw, finding) == [
        "three seven eight two",
        "eight two two four six three",
        "one oh oh oh five",
    ]
    assert {loc.speaker for loc in finding.locations} == {"Caller"}
    assert [loc.start_line for loc in finding.locations] == [5, 7, 9]
    assert "American Express" in finding.message


def test_chat_log_mixed_visa_not_the_order_number(scanner: Scanner) -> None:
    raw, (finding,) = scan_fixture(scanner, "chat-visa-words.txt")
    assert finding.rule_id == "PCI002"
    assert pieces(raw, finding) == ["four zero one two", "eight eight eight eight", "8888 1881"]
    assert finding.location.start_line == 4


def test_aws_transcribe_items_split_over_turns(scanner: Scanner) -> None:
    raw, (finding,) = scan_fixture(scanner, "aws-transcribe-split-mastercard.json")
    assert finding.rule_id == "PCI002"
    piece = ["Five", "five", "five", "five"]
    assert pieces(raw, finding) == ["five", *piece[1:], *piece, *piece, *["four"] * 4]
    assert {loc.speaker for loc in finding.locations} == {"spk_1"}
    assert all(loc.json_pointer.startswith("/results/items/") for loc in finding.locations)
    times = [(loc.audio_start, loc.audio_end) for loc in finding.locations]
    assert all(start is not None and end is not None and start < end for start, end in times)
    assert times == sorted(times)
    assert times[-1][1] - times[0][0] <= 30
    assert "said in 3 parts" in finding.message


def test_webvtt_cues_split_over_turns(scanner: Scanner) -> None:
    raw, (finding,) = scan_fixture(scanner, "webvtt-split-discover.vtt")
    assert finding.rule_id == "PCI002"
    assert pieces(raw, finding) == [
        "six oh one one",
        "one one one one",
        "One one one one",
        "one one one seven",
    ]
    assert {loc.speaker for loc in finding.locations} == {"Customer"}
    assert [(loc.audio_start, loc.audio_end) for loc in finding.locations] == [
        (11.9, 15.4),
        (11.9, 15.4),
        (17.0, 21.3),
        (17.0, 21.3),
    ]
    assert "Discover" in finding.message


def test_deepgram_words_jcb_one_location_per_word(scanner: Scanner) -> None:
    raw, (finding,) = scan_fixture(scanner, "deepgram-jcb-spoken.json")
    assert finding.rule_id == "PCI002"
    said = "thirty five thirty one one one three three three three zero double zero zero zero"
    assert pieces(raw, finding) == said.split()
    assert {loc.speaker for loc in finding.locations} == {"1"}
    assert all(loc.audio_start is not None for loc in finding.locations)
    assert all("/utterances/3/words/" in (loc.json_pointer or "") for loc in finding.locations)
    assert "JCB" in finding.message


def test_mirror_transcript_copy_is_matched_then_reported_once(scanner: Scanner) -> None:
    """The vendor's full-transcript string holds the same pieces: the rule matches that copy
    too (so redaction can cover it), and the engine reports the number once, at the items."""
    from callguard.formats import read_documents
    from callguard.registry import builtin_rules

    (rule,) = [r for r in builtin_rules() if r.meta.id == "PCI002"]
    data = (FIXTURES / "aws-transcribe-split-mastercard.json").read_bytes()
    (document,) = read_documents("call.json", data)
    copies = [document.is_mirror(m.spans[0][0], m.spans[-1][1]) for m in rule.scan(document)]
    assert copies == [False, True]
    assert len(scanner.scan_document(document)) == 1
