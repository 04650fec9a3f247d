"""Conversation context: a question in one turn gives the other speaker's answer its meaning.

Documents with turns come from `callguard.formats.read_text` (one turn per `Speaker:` line);
`Scanner.scan_text` gives a Document without turns, where lines stand in for turns.
"""

from __future__ import annotations

import pytest

import callguard.formats
from callguard import Scanner
from callguard.detectors.cue_turns import ANSWER_LINES, is_backchannel, utterances
from callguard.detectors.cues import without_lookarounds
from callguard.detectors.letter_runs import id_runs, spelled_runs
from callguard.document import DocumentBuilder, RawString
from callguard.model import Finding

MINE = {f"HIPAA0{n}" for n in range(10, 50)}


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(profile="hipaa")


def scan_call(scanner: Scanner, text: str) -> list[Finding]:
    findings = []
    for document in callguard.formats.read_text("call.txt", text):
        findings.extend(scanner.scan_document(document))
    return [f for f in findings if f.rule_id in MINE]


def pieces(text: str, finding: Finding) -> list[str]:
    return [text[loc.char_offset : loc.char_offset + loc.char_length] for loc in finding.locations]


def test_question_makes_next_turn_date_a_birth_date(scanner: Scanner) -> None:
    text = "Agent: what's your date of birth?\nCustomer: um, March third, nineteen eighty two\n"
    (finding,) = scan_call(scanner, text)
    assert (finding.rule_id, finding.entity_type) == ("HIPAA013", "DATE_TIME")
    assert pieces(text, finding) == ["March third, nineteen eighty two"]
    assert finding.location.speaker == "Customer"


def test_same_date_without_question_is_only_a_calendar_date_note(scanner: Scanner) -> None:
    # No cue ties the date to the person: HIPAA013 stays silent, HIPAA037 notes the date.
    text = "Agent: how can I help?\nCustomer: um, March third, I have a delivery\n"
    (finding,) = scan_call(scanner, text)
    assert (finding.rule_id, finding.severity) == ("HIPAA037", "note")
    assert pieces(text, finding) == ["March third"]


def test_number_over_two_turns_is_one_finding_with_two_locations(scanner: Scanner) -> None:
    text = (
        "Agent: and your social?\n"
        "Customer: two three four, five six\n"
        "Agent: uh huh\n"
        "Customer: seven eight nine one\n"
    )
    (finding,) = scan_call(scanner, text)
    assert finding.entity_type == "US_SSN"
    assert pieces(text, finding) == ["two three four, five six", "seven eight nine one"]


def test_a_new_question_ends_the_exchange(scanner: Scanner) -> None:
    text = (
        "Agent: last four of your social?\n"
        "Customer: seven eight nine one\n"
        "Agent: and the best number to reach you?\n"
        "Customer: four one five, five five five, oh one three two\n"
    )
    findings = scan_call(scanner, text)
    assert [(f.rule_id, f.entity_type) for f in findings] == [("HIPAA016", "PHONE_NUMBER")]
    assert pieces(text, findings[0]) == ["four one five, five five five, oh one three two"]


def test_statement_cue_continues_in_the_speakers_next_turn(scanner: Scanner) -> None:
    text = "Customer: my member ID is\nCustomer: XJH 448 210 937\n"
    (finding,) = scan_call(scanner, text)
    assert (finding.entity_type, pieces(text, finding)) == ("HEALTH_PLAN_ID", ["XJH 448 210 937"])


def test_answer_too_many_turns_later_is_not_taken(scanner: Scanner) -> None:
    text = (
        "Agent: and your member ID?\n"
        "Customer: hold on\n"
        "Customer: let me find the card\n"
        "Customer: it's in my purse\n"
        "Customer: somewhere\n"
        "Customer: XJH 448 210 937\n"
    )
    assert scan_call(scanner, text) == []


@pytest.mark.parametrize(
    ("between", "answered"),
    [
        pytest.param("", True, id="next-line"),
        pytest.param("\n" * 7, True, id="eighth-line"),
        pytest.param("\n" * 8, False, id="ninth-line"),
        pytest.param("(the caller looks for the card)\n" * 8, False, id="nine-lines-of-notes"),
    ],
)
def test_an_answer_is_read_within_answer_lines_of_its_cue(
    scanner: Scanner, between: str, answered: bool
) -> None:
    """Blank lines or notes between turns count: past `ANSWER_LINES` lines a turn is no
    answer, so a redaction read-back finds every cue within that many lines of its edits."""
    text = f"Agent: and your member ID?\n{between}Customer: XJH 448 210 937\n"
    assert ANSWER_LINES == 8
    assert [f.rule_id for f in scan_call(scanner, text)] == (["HIPAA022"] if answered else [])


def test_a_phonetic_spelling_stays_in_its_line() -> None:
    """ "S as in Sam" joins its letter only within the line: the next line is another turn."""
    assert list(spelled_runs("S as in Sam, M", 0, 14)) == [("SM", ((0, 14),))]
    assert [value for value, _ in spelled_runs("S\nas in Sam", 0, 11)] == ["S"]


def test_the_time_stamp_of_the_next_message_is_no_answer(scanner: Scanner) -> None:
    """ "[2025-05-26 18:53] Customer:" holds ten digits, a phone's count, in its label."""
    text = (
        "[2025-05-16 19:03] Agent: you can reach me at the front desk, thanks.\n"
        "[2025-05-26 18:53] Customer: I was on hold for a while before.\n"
    )
    assert scan_call(scanner, text) == []


def test_a_cue_outside_every_turn_is_not_answered_by_the_next_turns_label(
    scanner: Scanner,
) -> None:
    """The first line is no turn (its label is said once); its cue has no answer before the
    next turn, and that turn's "[2025-05-17 11:57]" is a time stamp, not a phone."""
    text = (
        "Caller (14:08.69): the bill is due soon. You can reach me at the office.\n"
        "[2025-05-17 11:57] Agent: I was on hold for a while before.\n"
        "[2025-05-17 11:58] Agent: is there anything else?\n"
    )
    assert scan_call(scanner, text) == []


def test_a_redacted_answer_ends_the_search_for_one(scanner: Scanner) -> None:
    """Once the phone is redacted, the next number said is not taken as the answer."""
    said = (
        "Agent: you can reach me at [PHONE_NUMBER].\n"
        "Customer: ok, four one five, five five five, oh one three two\n"
    )
    assert scan_call(scanner, said) == []
    unredacted = said.replace("[PHONE_NUMBER]", "the office")
    assert [f.rule_id for f in scan_call(scanner, unredacted)] == ["HIPAA016"]


@pytest.mark.parametrize(
    ("question", "answer", "rule", "entity", "said"),
    [
        pytest.param(
            "can you spell your last name?",
            "sure, s m i t h",
            "HIPAA035",
            "PERSON",
            "s m i t h",
            id="spelled-name",
        ),
        pytest.param(
            "member ID?",
            "yeah it's X J H four four eight two one",
            "HIPAA022",
            "HEALTH_PLAN_ID",
            "X J H four four eight two one",
            id="member-id",
        ),
        pytest.param(
            "what's the best number to reach you?",
            "415 555 0132",
            "HIPAA015",
            "PHONE_NUMBER",
            "415 555 0132",
            id="phone-written",
        ),
        pytest.param(
            "and your policy number?",
            "uh, P as in Paul, 7 7 3 0 0 1 9",
            "HIPAA022",
            "HEALTH_PLAN_ID",
            "P as in Paul, 7 7 3 0 0 1 9",
            id="policy-number",
        ),
        pytest.param(
            "what's your date of birth?",
            "oh three oh three eighty two",
            "HIPAA013",
            "DATE_TIME",
            "oh three oh three eighty two",
            id="dob-digits",
        ),
    ],
)
def test_without_turns_lines_stand_in_for_turns(
    scanner: Scanner, question: str, answer: str, rule: str, entity: str, said: str
) -> None:
    text = f"Agent: {question}\nCustomer: {answer}"
    findings = [f for f in scanner.scan_text(text) if f.rule_id in MINE]
    assert [(f.rule_id, f.entity_type, pieces(text, f)) for f in findings] == [
        (rule, entity, [said])
    ]
    assert scan_call(scanner, text)[0].rule_id == rule


def test_lines_fallback_reads_speakers() -> None:
    text = "Agent: member ID?\nCustomer: 12345\nno label here"
    builder = DocumentBuilder("x", "text", text)
    builder.add(text, RawString(0, len(text)))
    lines = utterances(builder.build())
    assert [(u.speaker, text[u.start : u.end]) for u in lines] == [
        ("agent", "Agent: member ID?"),
        ("customer", "Customer: 12345"),
        (None, "no label here"),
    ]


@pytest.mark.parametrize(
    ("turn", "expected"),
    [
        ("Agent: okay", True),
        ("Agent: uh huh, go ahead", True),
        ("Agent: mhm.", True),
        ("Agent: and your date of birth?", False),
        ("Customer: 4 1 5", False),
    ],
)
def test_backchannels(turn: str, expected: bool) -> None:
    assert is_backchannel(turn) is expected


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("s m i t h", ["SMITH"]),
        ("S-M-I-T-H", ["SMITH"]),
        ("m i double l e r", ["MILLER"]),
        ("K as in kilo, O, W, um, A L S K I", ["KOWALSKI"]),
        ("it's Jones", []),
    ],
)
def test_spelled_runs(text: str, letters: list[str]) -> None:
    assert [value for value, _ in spelled_runs(text, 0, len(text))] == letters


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("it's XYZ 123 456 789 thanks", ["XYZ123456789"]),
        ("W as in William, two four six", ["W246"]),
        ("double five, triple oh, seven", ["550007"]),
        ("oh, I have it, 1EG4-TE5-MK73", ["1EG4TE5MK73"]),
    ],
)
def test_id_runs(text: str, values: list[str]) -> None:
    found = [value for value, _ in id_runs(text, 0, len(text)) if any(c.isdigit() for c in value)]
    assert found == values


@pytest.mark.parametrize(
    ("fragment", "superset"),
    [
        pytest.param(
            "(?<!driver's )licen[cs]e (?:number|no\\.?|#)",
            "licen[cs]e (?:number|no\\.?|#)",
            id="lookbehind-dropped",
        ),
        pytest.param("zip(?=\\s)(?! code)\\b", "zip", id="lookaheads-and-boundary-dropped"),
        pytest.param("a(?<=[(])b", "ab", id="paren-inside-class-kept-balanced"),
        pytest.param("mrn\\(?", "mrn\\(?", id="escaped-paren-kept"),
    ],
)
def test_cue_prefilter_drops_only_lookarounds(fragment: str, superset: str) -> None:
    assert without_lookarounds(fragment) == superset


def test_cue_rule_trigger_is_re2_and_finds_its_cues() -> None:
    import re2

    rule = next(r for r in Scanner(profile="hipaa")._rules if r.meta.id == "HIPAA026")
    trigger = rule.trigger  # type: ignore[attr-defined]
    assert trigger is not None
    assert re2.search(trigger, "my nursing license is RN 882104")
    assert not re2.search(trigger, "Customer: hi, I need a refill")
