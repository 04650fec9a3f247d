"""Bank data: the ABA routing-number check behind PCI021.

A US routing transit number is nine digits whose weighted sum (weights 3, 7, 1 repeating) is a
multiple of ten, and whose first two digits name a Federal Reserve district (01-12), a thrift
(21-32), an electronic transaction identifier (61-72, 80) or the US Government (00). The check
turns "any nine digits after the word routing" into numbers a bank could actually route.
The prompt-and-answer search itself is `callguard.detectors.prompts.PromptedDigitsRule`.
"""

from __future__ import annotations

from collections.abc import Callable

_WEIGHTS = (3, 7, 1) * 3


def has_aba_prefix(digits: str) -> bool:
    """The first two digits fall in a range the ABA assigns (00-12, 21-32, 61-72, 80)."""
    prefix = int(digits[:2])
    return prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80


def is_aba_routing(digits: str) -> bool:
    """Nine ASCII digits, a valid prefix, and the 3-7-1 checksum; all zeros is not a number."""
    if len(digits) != 9 or not digits.isdigit() or not digits.isascii() or digits == "0" * 9:
        return False
    total = sum(weight * int(digit) for weight, digit in zip(_WEIGHTS, digits, strict=True))
    return total % 10 == 0 and has_aba_prefix(digits)


VALIDATORS: dict[str, Callable[[str], bool]] = {"aba_routing": is_aba_routing}
