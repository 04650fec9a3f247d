"""HIPAA010-037: Safe Harbor identifiers with a shape or a cue. Positives read like calls and
chats; hard negatives are the numbers and dates contact-center text is full of that are not PHI
(order numbers, cards, amounts, times, weekdays, versions, medical codes, extensions)."""

from __future__ import annotations

import pytest

import callguard.formats
from callguard import Scanner
from callguard.model import Finding

MINE = {f"HIPAA0{n}" for n in range(10, 50)}


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(profile="hipaa")


def scan(scanner: Scanner, text: str) -> list[Finding]:
    """Scan `text` as a call transcript file (one turn per `Speaker:` line); our rules only."""
    findings = []
    for document in callguard.formats.read_text("call.txt", text):
        findings.extend(scanner.scan_document(document))
    return [f for f in findings if f.rule_id in MINE]


def said(text: str, finding: Finding) -> list[str]:
    return [text[loc.char_offset : loc.char_offset + loc.char_length] for loc in finding.locations]


def p(text: str, rule: str, entity: str, *pieces: str, id: str) -> object:
    return pytest.param(text, rule, entity, list(pieces), id=id)


POSITIVES = [
    # (B) addresses and ZIP codes
    p(
        "Customer: it's 1234 Elm Street, Apt 5",
        "HIPAA010",
        "LOCATION",
        "1234 Elm Street, Apt 5",
        id="street-apt",
    ),
    p("Caller: um, 42 W Oak Ave, yeah", "HIPAA010", "LOCATION", "42 W Oak Ave", id="street-dir"),
    p(
        "Customer: 350 5th Ave suite 12",
        "HIPAA010",
        "LOCATION",
        "350 5th Ave suite 12",
        id="street-ordinal",
    ),
    p(
        "Customer: send it to 42 Oak Street, United Kingdom",
        "HIPAA010",
        "LOCATION",
        "42 Oak Street",
        id="street-then-united-is-no-unit",
    ),
    p(
        "caller: yeah i live at one two three main street dallas",
        "HIPAA010",
        "LOCATION",
        "one two three main street",
        id="street-house-number-in-words",
    ),
    p(
        "Customer: it's twenty two baker street, apartment four",
        "HIPAA010",
        "LOCATION",
        "twenty two baker street",
        id="street-house-number-twenty-two",
    ),
    p("Customer: uh the zip code is 62704", "HIPAA011", "LOCATION", "62704", id="zip-cue"),
    p(
        "caller: it's main street dallas texas seven five two zero one, my phone is",
        "HIPAA011",
        "LOCATION",
        "seven five two zero one",
        id="zip-in-words-after-state",
    ),
    p(
        "Customer: Springfield, IL 62704-1234",
        "HIPAA011",
        "LOCATION",
        "62704-1234",
        id="zip-plus-4-after-state",
    ),
    p(
        "Agent: and the zip?\nCustomer: six two seven, oh four",
        "HIPAA012",
        "LOCATION",
        "six two seven, oh four",
        id="zip-spoken-answer",
    ),
    # (C) dates of a person, ages over 89
    p(
        "Customer: my date of birth is March third nineteen eighty two",
        "HIPAA013",
        "DATE_TIME",
        "March third nineteen eighty two",
        id="dob-spoken-month",
    ),
    p(
        "Agent: can I get your DOB?\nCustomer: uh, oh three oh three eighty two",
        "HIPAA013",
        "DATE_TIME",
        "oh three oh three eighty two",
        id="dob-spoken-digits-next-turn",
    ),
    p(
        "Agent: date of birth?\nCustomer: 3/3/1982",
        "HIPAA013",
        "DATE_TIME",
        "3/3/1982",
        id="dob-slashes",
    ),
    p(
        "Customer: she was born on the 3rd of March, 1941",
        "HIPAA013",
        "DATE_TIME",
        "the 3rd of March, 1941",
        id="born-on-day-month",
    ),
    p(
        "Caller: he was admitted 2024-01-15 for chest pain",
        "HIPAA013",
        "DATE_TIME",
        "2024-01-15",
        id="admitted-iso",
    ),
    p(
        "Customer: my mother passed away on June 5, 2023",
        "HIPAA013",
        "DATE_TIME",
        "June 5, 2023",
        id="passed-away",
    ),
    p(
        "Agent: what's the date of service on the bill?\nCustomer: um, April twelfth",
        "HIPAA013",
        "DATE_TIME",
        "April twelfth",
        id="date-of-service",
    ),
    p("Customer: well, I'm ninety two", "HIPAA014", "AGE_OVER_89", "ninety two", id="age-spoken"),
    p("Agent: patient age 93, diabetic", "HIPAA014", "AGE_OVER_89", "93", id="age-digits"),
    p("Customer: my mom is 101 years old", "HIPAA014", "AGE_OVER_89", "101", id="years-old"),
    # (D, E) phone and fax
    p(
        "Customer: you can reach me at (415) 555-0132",
        "HIPAA015",
        "PHONE_NUMBER",
        "(415) 555-0132",
        id="phone-parens",
    ),
    p("Customer: fax is 415.555.0199", "HIPAA015", "PHONE_NUMBER", "415.555.0199", id="fax"),
    p(
        "Customer: my cell, +1 415 555 0132",
        "HIPAA015",
        "PHONE_NUMBER",
        "+1 415 555 0132",
        id="phone-plus-1",
    ),
    p(
        "Agent: what's the best number to reach you?\nCustomer: four one five, uh, five five five, "
        "oh one three two",
        "HIPAA016",
        "PHONE_NUMBER",
        "four one five, uh, five five five, oh one three two",
        id="phone-spoken-answer",
    ),
    p(
        "Customer: call me back at four one five\nAgent: mhm\nCustomer: five five five oh one "
        "three two",
        "HIPAA016",
        "PHONE_NUMBER",
        "four one five",
        "five five five oh one three two",
        id="phone-over-two-turns",
    ),
    # (F) email
    p(
        "Customer: it's jane.doe82@example.com",
        "HIPAA017",
        "EMAIL_ADDRESS",
        "jane.doe82@example.com",
        id="email",
    ),
    p(
        "Customer: sure, jane dot doe at example dot com",
        "HIPAA018",
        "EMAIL_ADDRESS",
        "jane dot doe at example dot com",
        id="email-spoken",
    ),
    # (G) SSN
    p("Customer: it's 234-56-7891", "HIPAA019", "US_SSN", "234-56-7891", id="ssn-dashes"),
    p("Customer: my social is 234 56 7891", "HIPAA019", "US_SSN", "234 56 7891", id="ssn-spaces"),
    # the cue-driven HIPAA020 is more confident and wins the merge with HIPAA019
    p("Customer: my ssn, 234567891", "HIPAA020", "US_SSN", "234567891", id="ssn-bare-with-cue"),
    p(
        "Agent: and your social?\nCustomer: two three four, five six, seven eight nine one",
        "HIPAA020",
        "US_SSN",
        "two three four, five six, seven eight nine one",
        id="ssn-spoken-answer",
    ),
    # (H) MRN, (I) health plan, MBI, (J) accounts
    p(
        "Agent: I have MRN 00482913 on screen",
        "HIPAA021",
        "MEDICAL_RECORD_NUMBER",
        "00482913",
        id="mrn",
    ),
    p(
        "Agent: do you have your chart number?\nCustomer: yes, M R four four eight two one nine",
        "HIPAA021",
        "MEDICAL_RECORD_NUMBER",
        "M R four four eight two one nine",
        id="chart-number-spelled",
    ),
    p(
        "Customer: my member ID is XJH 448 210 937",
        "HIPAA022",
        "HEALTH_PLAN_ID",
        "XJH 448 210 937",
        id="member-id",
    ),
    p(
        "Agent: and your policy number?\nCustomer: um, W as in William, two four six eight one",
        "HIPAA022",
        "HEALTH_PLAN_ID",
        "W as in William, two four six eight one",
        id="policy-number-phonetic",
    ),
    p(
        "Customer: my Medicare number is 1EG4-TE5-MK73",
        "HIPAA023",
        "MBI",
        "1EG4-TE5-MK73",
        id="mbi-dashed",
    ),
    p(
        "Agent: what's the claim number on the letter?\nCustomer: C L 2 0 4 8 8 1 7",
        "HIPAA024",
        "ACCOUNT_NUMBER",
        "C L 2 0 4 8 8 1 7",
        id="claim-number",
    ),
    p(
        "Customer: patient account number is 7730019",
        "HIPAA024",
        "ACCOUNT_NUMBER",
        "7730019",
        id="patient-account",
    ),
    # (K) licences
    p(
        "Customer: my driver's license is D1234567",
        "HIPAA025",
        "US_DRIVER_LICENSE",
        "D1234567",
        id="driver-license",
    ),
    p(
        "Caller: my nursing license is RN 882104",
        "HIPAA026",
        "LICENSE_NUMBER",
        "RN 882104",
        id="nursing-license",
    ),
    p("Agent: prescriber NPI is 1234567893", "HIPAA027", "NPI", "1234567893", id="npi"),
    p("Pharmacist: the DEA number is BJ6125341", "HIPAA028", "DEA_NUMBER", "BJ6125341", id="dea"),
    # (L) vehicles, (M) devices
    p(
        "Customer: the VIN is 1M8GDM9AXKP042788",
        "HIPAA029",
        "VEHICLE_ID",
        "1M8GDM9AXKP042788",
        id="vin",
    ),
    p(
        "Caller: plate number is 7 A B C 1 2 3",
        "HIPAA030",
        "VEHICLE_ID",
        "7 A B C 1 2 3",
        id="plate",
    ),
    p(
        "Caller: the pacemaker serial is PJN 204 881",
        "HIPAA031",
        "DEVICE_ID",
        "PJN 204 881",
        id="pacemaker-serial",
    ),
    p(
        "Customer: IMEI 49-015420-323751-8",
        "HIPAA031",
        "DEVICE_ID",
        "49-015420-323751-8",
        id="imei-after-cue",
    ),
    p(
        "Customer: the handset is 490154203237518",
        "HIPAA032",
        "DEVICE_ID",
        "490154203237518",
        id="imei-luhn-near-handset",
    ),
    # (N) URL, (O) IP
    p(
        "Customer: my page is https://example.com/u/jane-doe.",
        "HIPAA033",
        "URL",
        "https://example.com/u/jane-doe",
        id="url",
    ),
    p("Customer: it says my IP is 192.168.0.1", "HIPAA034", "IP_ADDRESS", "192.168.0.1", id="ipv4"),
    p(
        "Customer: connecting from 2001:db8::8a2e:370:7334",
        "HIPAA034",
        "IP_ADDRESS",
        "2001:db8::8a2e:370:7334",
        id="ipv6",
    ),
    # (D, E) local and international numbers vouched for by a phone label (HIPAA036)
    p(
        "Customer: um, you can call me on 0494 92 82 32, thanks",
        "HIPAA036",
        "PHONE_NUMBER",
        "0494 92 82 32",
        id="written-phone-call-me-on",
    ),
    p("Mobile: 03.93.92.16.85", "HIPAA036", "PHONE_NUMBER", "03.93.92.16.85", id="dotted-mobile"),
    p(
        "Caller: my phone number is 60-56-85-91",
        "HIPAA036",
        "PHONE_NUMBER",
        "60-56-85-91",
        id="hyphen-pairs-after-phone",
    ),
    p(
        "Customer: please stop sending messages to 699 956 915",
        "HIPAA036",
        "PHONE_NUMBER",
        "699 956 915",
        id="messages-to",
    ),
    p(
        "Customer: the clinic is (37) 788-063-Office",
        "HIPAA036",
        "PHONE_NUMBER",
        "(37) 788-063",
        id="area-code-parentheses-label-after",
    ),
    p(
        "Customer: fax: 0961-7596216",
        "HIPAA036",
        "PHONE_NUMBER",
        "0961-7596216",
        id="fax-label-trunk-zero",
    ),
    p(
        "Customer: can someone call me back at 9472 7916?",
        "HIPAA036",
        "PHONE_NUMBER",
        "9472 7916",
        id="eight-digit-local",
    ),
    # A date after a phone cue is a date (HIPAA037, a note), never a phone number.
    p(
        "Customer: call me on 12-05-2024, after lunch",
        "HIPAA037",
        "DATE_TIME",
        "12-05-2024",
        id="phone-cue-date-is-a-date",
    ),
    p(
        "Customer: call me on 2024.05.12",
        "HIPAA037",
        "DATE_TIME",
        "2024.05.12",
        id="phone-cue-iso-date-is-a-date",
    ),
    # (A) spelled names
    p(
        "Agent: can you spell your last name?\nCustomer: sure, S as in Sam, M, I, T, H",
        "HIPAA035",
        "PERSON",
        "S as in Sam, M, I, T, H",
        id="spelled-phonetic",
    ),
    p(
        "Agent: how do you spell that?\nCustomer: uh, k o w a l s k i",
        "HIPAA035",
        "PERSON",
        "k o w a l s k i",
        id="spelled-lowercase",
    ),
]

NEGATIVES = [
    pytest.param("Customer: my order number is 415 555 0132", id="order-number-phone-shape"),
    pytest.param("Customer: card is 4111 1111 1111 1111", id="card-number"),
    pytest.param("Agent: the total is $1,234.56, due 2024", id="amount"),
    pytest.param("Agent: I can call you back at 3:30 on Tuesday", id="time-and-weekday"),
    pytest.param("Customer: I was admitted on Tuesday", id="admitted-weekday"),
    pytest.param("Agent: I'll call you in five minutes, today", id="in-five-minutes"),
    pytest.param("Agent: make sure the app is version 1.2.3.4", id="version-number"),
    pytest.param("Agent: ICD-10 E11.9, CPT 99213, HCPCS J1100", id="medical-codes"),
    pytest.param("Customer: extension 4471 please", id="extension"),
    pytest.param(
        "Agent: last four of your social?\nCustomer: seven eight nine one", id="ssn-last-four"
    ),
    pytest.param("Agent: I see the account ending in 4821", id="account-last-four"),
    pytest.param("Customer: I'm ninety percent sure", id="ninety-percent"),
    pytest.param("Customer: I'm 45 and my dad is 70", id="ages-under-90"),
    pytest.param("Customer: I paid 20 dollars at the court", id="not-a-street"),
    pytest.param("Customer: careful, it's a one way street", id="one-way-street"),
    pytest.param("Customer: seven eleven on main street", id="store-name-on-a-street"),
    pytest.param("Customer: texas is two hours from here", id="state-then-number-words"),
    pytest.param(
        "Customer: the kids in texas count one two three four five six seven",
        id="seven-digits-after-state-words",
    ),
    pytest.param("Customer: 666-12-3456", id="ssn-area-666"),
    pytest.param("Customer: ssn 900-12-3456", id="ssn-area-900"),
    pytest.param("Customer: ticket 234-56.7891", id="ssn-mixed-delimiters"),
    pytest.param("Agent: routing 234567891", id="nine-digits-no-cue"),
    pytest.param("Agent: prescriber NPI is 1234567890", id="npi-check-fails"),
    pytest.param("Customer: reference 1234567893", id="npi-without-cue"),
    pytest.param("Customer: the VIN is 1M8GDM9AYKP042788", id="vin-check-fails"),
    pytest.param("Customer: my card is 378282246310005", id="amex-not-imei"),
    pytest.param("Agent: and your group number?\nCustomer: 00482", id="group-number"),
    pytest.param("Agent: what's your member ID?\nCustomer: I'll call back at 10", id="no-id"),
    pytest.param("Agent: your order 62704 shipped", id="five-digits-no-zip-cue"),
    pytest.param("Customer: see scan@2x.png", id="email-file-name"),
    pytest.param(
        "Agent: can you spell your last name?\nCustomer: it's on the account", id="no-spelling"
    ),
    pytest.param("Customer: at 12:34:56 it froze", id="clock-time-not-ipv6"),
    pytest.param("Agent: my birthday party is on the 5th", id="birthday-no-person-date"),
    pytest.param("Customer: call me back at 10 30 tomorrow", id="phone-cue-clock-time"),
    pytest.param("Customer: call me at 3:30", id="phone-cue-colon-time"),
    pytest.param("Customer: phone: 4111 1111 1111 1111", id="phone-cue-card-number"),
    pytest.param("Customer: phone extension 4471", id="phone-cue-extension"),
    pytest.param("Customer: phone is 62704", id="phone-cue-zip-length"),
    pytest.param("Agent: messages to 1,234,567 members", id="phone-cue-amount-commas"),
    pytest.param("Agent: order 0494 92 82 32 left the office", id="order-number-before-office"),
    pytest.param("Agent: account 1,234,567 office", id="amount-before-office"),
    pytest.param("Agent: your order number is 0494 92 82 32", id="order-number-local-shape"),
]


@pytest.mark.parametrize(("text", "rule", "entity", "pieces"), POSITIVES)
def test_identifier_found_at_exact_span(
    scanner: Scanner, text: str, rule: str, entity: str, pieces: list[str]
) -> None:
    findings = scan(scanner, text)
    assert [(f.rule_id, f.entity_type, said(text, f)) for f in findings] == [(rule, entity, pieces)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negative_not_flagged(scanner: Scanner, text: str) -> None:
    assert [(f.rule_id, f.location.char_offset) for f in scan(scanner, text)] == []


def test_finding_shows_shape_not_value(scanner: Scanner) -> None:
    text = "Customer: it's 234-56-7891"
    (finding,) = scan(scanner, text)
    assert finding.preview == "#########"
    assert "234" not in repr(finding)
    assert "7891" not in finding.message
