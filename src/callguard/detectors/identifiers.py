"""Checks for the HIPAA Safe Harbor identifiers that have a shape: numbers with check digits,
addresses, ages. `rules/hipaa.yaml` names these functions; dates are `detectors/dates.py`.

A regex alone flags every nine-digit order number as a Social Security number; the validators
here apply each identifier's published structure (SSA area/group/serial ranges, the NPI and
IMEI Luhn checks, the DEA and VIN check digits, the CMS MBI character positions, `ipaddress`)
so that only values that can be real are reported.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator

from callguard.detectors.dates import DETECTORS as DATE_DETECTORS
from callguard.detectors.spoken import digit_runs
from callguard.detectors.validators import is_luhn_valid
from callguard.named import DetectorFactory


def _word_list(text: str) -> list[str]:
    """Space-separated words, in order: long word tables stay readable."""
    return text.split()


def _words(text: str) -> frozenset[str]:
    return frozenset(_word_list(text))


# -- numbers with a structure -----------------------------------------------------------------

# Numbers the SSA never issued or that were published in advertising and must never match.
_PUBLISHED_SSNS = frozenset({"078051120", "219099999", "123456789", "457555462"})


def is_us_ssn(digits: str) -> bool:
    """SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000."""
    if len(digits) != 9 or not digits.isdigit() or digits in _PUBLISHED_SSNS:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return len(set(digits)) > 1


def is_phone_number(value: str) -> bool:
    """A NANP number (area code and exchange start 2-9) or an international `+` number."""
    if value.startswith("+") and not value.startswith("+1"):
        return 8 <= len(value) - 1 <= 15
    digits = value.lstrip("+")
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return len(digits) == 10 and digits[0] in "23456789" and digits[3] in "23456789"


def is_domestic_phone(value: str) -> bool:
    """A number dialled with a trunk 0 (outside North America): 9 to 11 digits."""
    return value.startswith("0") and 9 <= len(value) <= 11


def is_written_phone(value: str) -> bool:
    """A number a phone label vouches for, in any national plan: 7 to 12 digits, or 8 to 15
    after "+" (E.164). Fewer is an extension or a code; more is a card or account number."""
    digits = value.lstrip("+")
    if not digits.isdigit() or len(set(digits)) == 1:
        return False
    low, high = (8, 15) if value.startswith("+") else (7, 12)
    return low <= len(digits) <= high


def is_zip_code(digits: str) -> bool:
    """Five digits or ZIP+4; 00000 is not a ZIP code."""
    return len(digits) in (5, 9) and digits.isdigit() and digits[:5] != "00000"


def is_npi(digits: str) -> bool:
    """An NPI: ten digits starting 1 or 2 whose Luhn check covers the card-issuer prefix 80840."""
    return len(digits) == 10 and digits[0] in "12" and is_luhn_valid("80840" + digits)


_DEA_REGISTRANTS = frozenset("ABCDEFGHJKLMPRSTUX")


def is_dea_number(value: str) -> bool:
    """DEA registration: registrant letter, name letter (or 9), seven digits, the last a check:
    (d1 + d3 + d5) + 2 * (d2 + d4 + d6), last digit."""
    if len(value) != 9 or value[0] not in _DEA_REGISTRANTS or not value[2:].isdigit():
        return False
    if not (value[1].isalpha() or value[1] == "9"):
        return False
    d = [int(char) for char in value[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


_VIN_VALUES = {**{str(n): n for n in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True))}
_VIN_VALUES |= {**dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9}
_VIN_VALUES |= dict(zip("STUVWXYZ", range(2, 10), strict=True))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def is_vin(value: str) -> bool:
    """A 17-character VIN (no I, O, Q) whose ninth character is its mod-11 check digit."""
    if len(value) != 17 or any(char not in _VIN_VALUES for char in value):
        return False
    if value.isdigit() or value.isalpha():
        return False
    total = sum(
        _VIN_VALUES[char] * weight for char, weight in zip(value, _VIN_WEIGHTS, strict=True)
    )
    check = total % 11
    return value[8] == ("X" if check == 10 else str(check))


_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"  # A-Z without S, L, O, I, B, Z
_MBI_SHAPE = re.compile(
    rf"[1-9][{_MBI_LETTERS}][{_MBI_LETTERS}0-9][0-9][{_MBI_LETTERS}][{_MBI_LETTERS}0-9][0-9]"
    rf"[{_MBI_LETTERS}]{{2}}[0-9]{{2}}"
)


def is_mbi(value: str) -> bool:
    """A Medicare Beneficiary Identifier: CMS positions C A AN N A AN N A A N N."""
    return _MBI_SHAPE.fullmatch(value) is not None


def is_imei(digits: str) -> bool:
    """A 15-digit IMEI with its Luhn check digit."""
    return len(digits) == 15 and is_luhn_valid(digits)


def is_ip_address(value: str) -> bool:
    """An IPv4 or IPv6 address, optionally with zone and prefix; not the unspecified `::`."""
    try:
        interface = ipaddress.ip_interface(value)
    except ValueError:
        return False
    return not (interface.version == 6 and interface.ip.is_unspecified)


# Names that look like a top-level domain and are not one: file types, reserved names.
_NOT_TLDS = _words(
    "png jpg jpeg gif bmp svg txt pdf doc docx xls xlsx csv json xml yaml yml html htm js "
    "ts py java log tmp bak exe dll ini cfg conf local localhost internal invalid test "
    "example lan home corp"
)


def is_email_address(value: str) -> bool:
    """Sanity checks no regex makes cleanly: no `..`, the last label a plausible TLD."""
    local, _, domain = value.rpartition("@")
    if not local or ".." in value or local.startswith(".") or local.endswith("."):
        return False
    tld = domain.rsplit(".", 1)[-1].lower()
    if tld.startswith("xn--"):
        return len(tld) > 4
    return tld.isalpha() and 2 <= len(tld) <= 24 and tld not in _NOT_TLDS


_NOT_STREET_WORDS = _words(
    "the a an at on in to of for my your our his her their its and or is was be it that "
    "this with from by per about around every each last next dollars bucks cents minutes "
    "hours days weeks months years times items boxes pills tablets doses refills people "
    "calls more less than down up over off out back"
)


def is_street_address(value: str) -> bool:
    """The words between house number and street type must be a name, not "20 dollars at the"."""
    words = re.findall(r"[A-Za-z']+", value.split(",")[0])
    return not any(word.lower() in _NOT_STREET_WORDS for word in words[:-1])


def is_age_over_89(value: str) -> bool:
    """Ages 90 and over are identifiers (164.514(b)(2)(i)(C)); beyond 125 is not an age."""
    return value.isdigit() and 90 <= int(value) <= 125


# -- normalisers ------------------------------------------------------------------------------

_WORD_NUMBERS = {
    word: value
    for value, word in enumerate(
        _word_list(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_WORD_NUMBERS |= {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_WORD_NUMBERS |= {"seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a": 0, "and": 0}


def spoken_age(text: str) -> str:
    """'ninety two' -> '92', 'one hundred and one' -> '101', '93' -> '93'."""
    if text.strip().isdigit():
        return text.strip()
    total = 0
    for word in re.findall(r"[a-z]+", text.lower()):
        value = _WORD_NUMBERS.get(word)
        if value is None:
            return ""
        total = max(total, 1) * 100 if value == 100 else total + value
    return str(total)


def phone_value(text: str) -> str:
    """Digits, with a leading `+` kept so that validators can tell international numbers."""
    digits = re.sub(r"\D", "", text)
    return "+" + digits if text.lstrip().startswith("+") else digits


def spoken_email(text: str) -> str:
    """'j smith at example dot com' -> 'jsmith@example.com' (the value to fingerprint)."""
    words = {"dot": ".", "at": "@", "underscore": "_", "dash": "-", "hyphen": "-"}
    return "".join(words.get(word, word) for word in text.lower().split())


def spoken_digits(text: str) -> str:
    """The digits said or written in `text` ("seven five two oh one" and "75201" alike)."""
    return "".join(run.digits for run in digit_runs(text))


def collapse(text: str) -> str:
    """Lower case, single spaces: one spelling per spoken or written value."""
    return " ".join(text.lower().split())


def ip_candidates(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The address with its prefix length, then without it ("10.0.0.0/123" is 10.0.0.0)."""
    yield start, end
    slash = text.find("/", start, end)
    if slash > 0:
        yield start, slash


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "us_ssn": is_us_ssn,
    "phone_number": is_phone_number,
    "domestic_phone": is_domestic_phone,
    "written_phone": is_written_phone,
    "zip_code": is_zip_code,
    "npi": is_npi,
    "dea_number": is_dea_number,
    "vin": is_vin,
    "mbi": is_mbi,
    "imei": is_imei,
    "ip_address": is_ip_address,
    "email_address": is_email_address,
    "street_address": is_street_address,
    "age_over_89": is_age_over_89,
}
NORMALIZERS: dict[str, Callable[[str], str]] = {
    "spoken_age": spoken_age,
    "phone": phone_value,
    "spoken_email": spoken_email,
    "collapse": collapse,
    "spoken_digits": spoken_digits,
}
EXPANDERS = {"ip_candidates": ip_candidates}

# Dates tied to a person (HIPAA013, HIPAA037) have their own module; its detectors are named
# here because `callguard.named` reads the code modules it lists.
DETECTORS: dict[str, DetectorFactory] = dict(DATE_DETECTORS)
