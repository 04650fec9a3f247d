"""PCI001: card numbers in digit form. Positives read like calls and chats; negatives are the
numbers that look like cards in contact-center text and are not."""

from __future__ import annotations

import pytest

from callguard import Scanner


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(profile="pci")


def card_spans(scanner: Scanner, text: str) -> list[tuple[str, int, int]]:
    """(rule id, start, end) of each card finding, in raw offsets."""
    return [
        (f.rule_id, f.location.char_offset, f.location.char_offset + f.location.char_length)
        for f in scanner.scan_text(text)
        if f.entity_type == "CREDIT_CARD"
    ]


POSITIVES = [
    pytest.param(
        "Customer: sure, it's 4111 1111 1111 1111", "4111 1111 1111 1111", id="visa-spaced"
    ),
    pytest.param(
        "Customer: 4111-1111-1111-1111 exp next year", "4111-1111-1111-1111", id="visa-dashed"
    ),
    pytest.param("card=4111111111111111&amount=12.00", "4111111111111111", id="visa-plain-query"),
    pytest.param("Customer: card is 4111.1111.1111.1111.", "4111.1111.1111.1111", id="visa-dotted"),
    pytest.param("visa 4222222222222", "4222222222222", id="visa-13"),
    pytest.param(
        "Agent: so that's 5555 5555 5555 4444?", "5555 5555 5555 4444", id="mastercard-51-55"
    ),
    pytest.param(
        "new mastercard 2223 0031 2200 3222", "2223 0031 2200 3222", id="mastercard-2-series"
    ),
    pytest.param("Amex 3782 822463 10005 thanks", "3782 822463 10005", id="amex-4-6-5"),
    pytest.param("amex: 371449635398431", "371449635398431", id="amex-37"),
    pytest.param("Discover 6011 1111 1111 1117", "6011 1111 1111 1117", id="discover-6011"),
    pytest.param("discover card 6445644564456445", "6445644564456445", id="discover-644"),
    pytest.param("JCB 3530 1113 3330 0000", "3530 1113 3330 0000", id="jcb"),
    pytest.param("diners 3056 930902 5904", "3056 930902 5904", id="diners-14"),
    pytest.param("diners club 3852 0000 0232 37", "3852 0000 0232 37", id="diners-38"),
    pytest.param("unionpay 6200000000000005", "6200000000000005", id="unionpay-16"),
    pytest.param("unionpay 6212345678901232 ok", "6212345678901232", id="unionpay-62"),
    pytest.param("maestro 6759649826438453", "6759649826438453", id="maestro-uk"),
    pytest.param("maestro 5018 0000 0009", "5018 0000 0009", id="maestro-12"),
    pytest.param("visa 4111 1111 1111 1111 123 cvv", "4111 1111 1111 1111", id="pan-then-cvv"),
    pytest.param("[10:02:13] Customer: 4111111111111111\n", "4111111111111111", id="log-line"),
    pytest.param('{"msg": "pay with 5555555555554444"}', "5555555555554444", id="inside-json-text"),
]

NEGATIVES = [
    pytest.param("Customer: my order number is 4111 1111 1111 1112", id="luhn-fails-order"),
    pytest.param("tracking 1Z999AA10123456784 shipped", id="ups-1z"),
    pytest.param("Agent: that's the card ending in 1111, correct?", id="last-four-readback"),
    pytest.param("Agent: card ending 4242, expiring 04/27", id="last-four-with-expiry"),
    pytest.param("event_ts=1748503543012 queue=billing", id="epoch-millis"),
    pytest.param("Call me back on 415 555 0132 please", id="phone"),
    pytest.param("+1 (415) 555-0132 ext 1234", id="phone-ext"),
    pytest.param("The total is $1,234,567.89 for 2024", id="amount"),
    pytest.param("invoice 9780306406157 isbn", id="isbn-13"),
    pytest.param("luhn ok but no scheme: 9999 9999 9999 9995", id="luhn-no-iin"),
    pytest.param("id 12345678901234567890123 long", id="long-digit-run"),
    pytest.param("x41111111111111111", id="glued-to-letter"),
    pytest.param("ref 04111111111111111111", id="inside-longer-run"),
    pytest.param("2024-05-01 10:02:13.123456 call started", id="timestamp"),
    pytest.param("ICD-10 E11.9, CPT 99213, claim 2024051500123", id="medical-codes"),
]


@pytest.mark.parametrize(("text", "number"), POSITIVES)
def test_card_number_found_at_exact_span(scanner: Scanner, text: str, number: str) -> None:
    start = text.index(number)
    assert card_spans(scanner, text) == [("PCI001", start, start + len(number))]


@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negative_not_flagged(scanner: Scanner, text: str) -> None:
    assert card_spans(scanner, text) == []


def test_two_cards_in_one_run_of_groups_are_two_findings(scanner: Scanner) -> None:
    text = "cards 4111 1111 1111 1111 5555 5555 5555 4444"
    assert [s for _, s, _ in card_spans(scanner, text)] == [6, 26]


def test_card_words_raise_confidence_and_order_words_lower_it(scanner: Scanner) -> None:
    (with_card,) = scanner.scan_text("my visa card number is 4111111111111111")
    (plain,) = scanner.scan_text("value 4111111111111111")
    (with_order,) = scanner.scan_text("the order reference is 4111111111111111")
    assert with_card.confidence > plain.confidence > with_order.confidence


def test_finding_carries_brand_and_masked_preview_only(scanner: Scanner) -> None:
    (finding,) = scanner.scan_text("Customer: 3782 822463 10005")
    assert finding.preview == "378282*****0005"
    assert "American Express" in finding.message
    assert "378282246310005" not in repr(finding)
    assert "822463" not in repr(finding)
