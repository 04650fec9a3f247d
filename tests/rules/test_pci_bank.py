"""PCI020 bank account numbers and PCI021 ABA routing numbers given in calls and logs.

Each case runs as a transcript with turns and as a plain string (lines stand in for turns).
Negatives: order, claim, member and phone numbers after bank words, routing numbers that fail
the ABA checksum, and bank prompts nobody answered.
"""

from __future__ import annotations

import pytest

from callguard import Scanner
from callguard.detectors.bank import has_aba_prefix, is_aba_routing
from callguard.formats import read_text

ENTITIES = frozenset(("US_BANK_NUMBER", "ABA_ROUTING_NUMBER"))
ACCOUNT = "PCI020", "US_BANK_NUMBER"
ROUTING = "PCI021", "ABA_ROUTING_NUMBER"


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(profile="pci")


def found(scanner: Scanner, text: str, *, turns: bool) -> list[tuple[str, str, tuple[str, ...]]]:
    """(rule id, entity type, raw text of each location) of every bank finding, in order."""
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


POSITIVES = [
    pytest.param(
        "Agent: what's the account number for the checking account?\nCustomer: it's 123456789012",
        [(*ACCOUNT, ("123456789012",))],
        id="account-digits-next-turn",
    ),
    pytest.param(
        "Agent: and your checking account number?\nCustomer: um, 1 2 3, 4 5 6, 7 8 9 0",
        [(*ACCOUNT, ("1 2 3, 4 5 6, 7 8 9 0",))],
        id="account-digits-in-asr-groups",
    ),
    pytest.param(
        "Customer: for the direct deposit the account number is six seven eight, "
        "nine one two, three four five",
        [(*ACCOUNT, ("six seven eight, nine one two, three four five",))],
        id="account-spoken-same-turn",
    ),
    pytest.param(
        "Agent: I need the routing and account numbers for the ACH.\n"
        "Customer: 021000021, and the account is 48201937",
        [(*ROUTING, ("021000021",)), (*ACCOUNT, ("48201937",))],
        id="routing-then-account-in-one-answer",
    ),
    pytest.param(
        "Agent: and the routing number, the nine digits on the bottom left?\n"
        "Customer: zero two one, zero zero zero, zero two one",
        [(*ROUTING, ("zero two one, zero zero zero, zero two one",))],
        id="routing-spoken",
    ),
    pytest.param(
        "Customer: routing is 011000015 and I'll read the account next",
        [(*ROUTING, ("011000015",))],
        id="routing-same-turn",
    ),
    pytest.param(
        "ach_debit routing=021000021 account_number=000123456789 status=queued",
        [(*ROUTING, ("021000021",)), (*ACCOUNT, ("000123456789",))],
        id="ach-log-line",
    ),
    pytest.param(
        "Agent: ABA number for the bank?\nCustomer: it's 1 2 1 0 0 0 3 5 8",
        [(*ROUTING, ("1 2 1 0 0 0 3 5 8",))],
        id="aba-prompt",
    ),
    pytest.param(
        "Agent: savings account number please, for the wire\nCustomer: sure, 4820-1937-55",
        [(*ACCOUNT, ("4820-1937-55",))],
        id="savings-dashed",
    ),
]

NEGATIVES = [
    pytest.param("Customer: my order number is 48201937 and I paid by bank transfer", id="order"),
    pytest.param("Agent: the member account number is 48201937, for your bank", id="member"),
    pytest.param("Customer: my customer account number is 48201937, at the bank", id="customer"),
    pytest.param(
        "Agent: what's your checking account number?\nCustomer: let me grab my checkbook.",
        id="account-asked-not-answered",
    ),
    pytest.param(
        "Agent: the account number on your credit card?\nCustomer: 4111111111111111",
        id="card-account-is-not-bank",
    ),
    pytest.param(
        "Agent: what's the claim number?\nCustomer: 2024051500123 for the bank", id="claim"
    ),
    pytest.param(
        "Agent: your member ID?\nCustomer: 12345678 for the checking", id="member-id-answer"
    ),
    pytest.param(
        "Agent: what's your account number with us?\nCustomer: 48201937", id="no-bank-talk"
    ),
    pytest.param(
        "Agent: bank account number?\nCustomer: call me on 415 555 0132", id="phone-answer"
    ),
    pytest.param("Agent: routing number?\nCustomer: 415 555 0132", id="routing-phone"),
    pytest.param(
        "Agent: the routing number please\nCustomer: my zip is 941050000", id="routing-zip9"
    ),
    pytest.param(
        "Agent: the routing number you gave, 021000022, doesn't validate", id="aba-checksum-fails"
    ),
    pytest.param("Agent: your order is routing through our 123456789 warehouse", id="routing-verb"),
    pytest.param(
        "Agent: routing number?\nCustomer: 991000025 I think", id="aba-prefix-not-assigned"
    ),
    pytest.param(
        "Agent: bank account ending in 6789, your payment of $1,234.56 posted 04/27",
        id="last-four-amount-date",
    ),
    pytest.param(
        "Agent: checking account number?\nCustomer: at 10:45 I'll have it, it's ICD E11.9",
        id="time-and-icd10",
    ),
]


@pytest.mark.parametrize("turns", [True, False], ids=["turns", "lines"])
@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_bank_data_found_at_exact_span(
    scanner: Scanner, text: str, expected: list[tuple[str, str, tuple[str, ...]]], turns: bool
) -> None:
    assert sorted(found(scanner, text, turns=turns)) == sorted(expected)


@pytest.mark.parametrize("turns", [True, False], ids=["turns", "lines"])
@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negative_not_flagged(scanner: Scanner, text: str, turns: bool) -> None:
    assert found(scanner, text, turns=turns) == []


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        pytest.param("021000021", True, id="chase-ny"),
        pytest.param("011000015", True, id="fed-boston"),
        pytest.param("121000358", True, id="district-12"),
        pytest.param("322271627", True, id="thrift-32"),
        pytest.param("021000022", False, id="checksum"),
        pytest.param("991000025", False, id="prefix-99"),
        pytest.param("000000000", False, id="all-zeros"),
        pytest.param("02100002", False, id="eight-digits"),
        pytest.param("０21000021", False, id="non-ascii-digit"),
    ],
)
def test_aba_checksum_and_prefix(digits: str, valid: bool) -> None:
    assert is_aba_routing(digits) is valid


def test_aba_prefix_ranges() -> None:
    accepted = [prefix for prefix in range(100) if has_aba_prefix(f"{prefix:02d}0000000")]
    assert accepted == [*range(13), *range(21, 33), *range(61, 73), 80]


def test_bank_finding_shows_shape_only(scanner: Scanner) -> None:
    (finding,) = [
        f for f in scanner.scan_text("checking account number: 48201937") if f.rule_id == "PCI020"
    ]
    assert finding.severity.value == "warning"
    assert finding.preview == "########"
    assert "48201937" not in f"{finding!r} {finding.message}"
