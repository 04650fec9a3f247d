"""Named checks that YAML rules cite with `validate:` and `describe:`.

A validator takes the rule's normalised value (for card numbers: the digits only) and says whether
it is what the rule claims. A describer names what was found ("Visa, 16 digits") for the finding
message, without revealing the value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache


def is_luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by every payment card number (ISO/IEC 7812-1).

    Scanners check thousands of candidates per MB, so the sum is taken by C-level bytes
    operations rather than a Python loop over digits: the doubled digits (every second one
    from the right) are mapped through a table, and ASCII digit bytes sum to their values
    plus 48 each. A character that is not ASCII becomes "?", which is no digit.
    """
    data = digits.encode("ascii", "replace")
    if not data.isdigit():
        return False
    doubled = len(data) % 2  # where the doubled digits start, counted from the left
    total = sum(data[1 - doubled :: 2] + data[doubled::2].translate(_DOUBLED))
    return (total - 48 * len(data)) % 10 == 0


# Luhn doubles every second digit from the right and adds the digits of the product:
# 0-9 become 0, 2, 4, 6, 8, 1, 3, 5, 7, 9 (as ASCII digit bytes).
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")


@dataclass(frozen=True)
class CardBrand:
    """A card scheme: the IIN prefix ranges it issues under and the PAN lengths it uses."""

    name: str
    prefixes: tuple[tuple[int, int], ...]  # inclusive ranges of leading digits, any width
    lengths: tuple[int, ...]


def _span(low: int, high: int | None = None) -> tuple[int, int]:
    return (low, low if high is None else high)


# Issuer identification numbers and lengths by scheme, from the schemes' published ranges.
# Order matters only for the name shown: the first brand that accepts a number names it.
CARD_BRANDS: tuple[CardBrand, ...] = (
    CardBrand("Visa", (_span(4),), (13, 16, 19)),
    CardBrand("Mastercard", (_span(51, 55), _span(2221, 2720)), (16,)),
    CardBrand("American Express", (_span(34), _span(37)), (15,)),
    CardBrand(
        "Discover",
        (_span(6011), _span(644, 649), _span(65), _span(622126, 622925)),
        (16, 17, 18, 19),
    ),
    CardBrand("JCB", (_span(3528, 3589),), (16, 17, 18, 19)),
    CardBrand("Diners Club", (_span(300, 305), _span(36), _span(38, 39)), (14, 15, 16, 17, 18, 19)),
    CardBrand("UnionPay", (_span(62),), (16, 17, 18, 19)),
    CardBrand(
        "Maestro",
        (
            _span(5018),
            _span(5020),
            _span(5038),
            _span(5893),
            _span(6304),
            _span(6759),
            _span(6761, 6763),
        ),
        tuple(range(12, 20)),
    ),
    CardBrand("Dankort", (_span(5019),), (16,)),
    CardBrand("UATP", (_span(1),), (15,)),
)


def card_brand(digits: str) -> str | None:
    """The scheme whose IIN range and PAN length fit `digits`, or None."""
    return _brand(digits[:_IIN_DIGITS], len(digits))


# The longest IIN prefix any scheme above is told apart by (UnionPay's 622126-622925).
_IIN_DIGITS = 6


@lru_cache(maxsize=4096)
def _brand(prefix: str, length: int) -> str | None:
    """`card_brand` by leading digits and length: cached, as scanners meet the same few IINs."""
    for brand in CARD_BRANDS:
        if length not in brand.lengths:
            continue
        for low, high in brand.prefixes:
            width = len(str(low))
            if width <= length and low <= int(prefix[:width]) <= high:
                return brand.name
    return None


def is_card_number(digits: str) -> bool:
    """A PAN: fits a scheme's IIN range and length, and passes Luhn. The scheme is asked first:
    its answer is cached by prefix and length, and it turns away most timestamps, IMEIs and
    tracking numbers without the sum."""
    if not (digits.isascii() and digits.isdigit()):
        return False  # as `is_luhn_valid` says; the scheme table reads ASCII digits only
    return card_brand(digits) is not None and is_luhn_valid(digits)


def describe_card(digits: str) -> str:
    """'Visa, 16 digits': safe to show, it reveals no more than the masked preview."""
    return f"{card_brand(digits) or 'unknown scheme'}, {len(digits)} digits"


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "luhn": is_luhn_valid,
    "card_number": is_card_number,
}

DESCRIBERS: dict[str, Callable[[str], str]] = {
    "card_brand": describe_card,
}
