"""The named code YAML rules cite: validators, describers, normalisers, expanders, detectors.

A rule is data where it can be and code where it must be. The code lives in the modules listed in
`CODE_MODULES`; each may define any of the dictionaries below, mapping the name a rule pack uses
to a function. Modules are imported on first use, and none of them imports a heavy library at
import time (the PHI detector loads spaCy only when it first scans).

* `VALIDATORS`: name -> (value) -> bool; a rule's candidates must pass all it names.
* `DESCRIBERS`: name -> (value) -> str; a safe description for the finding message.
* `NORMALIZERS`: name -> (matched text) -> value.
* `EXPANDERS`: name -> (text, start, end) -> candidate spans inside a regex match.
* `DETECTORS`: name -> (meta, options) -> Rule, for rules whose logic is code (`detector:`).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from callguard.model import RuleMeta
from callguard.rule import Rule

Validator = Callable[[str], bool]
Describer = Callable[[str], str]
Normalizer = Callable[[str], str]
Expander = Callable[[str, int, int], Iterator[tuple[int, int]]]
DetectorFactory = Callable[[RuleMeta, Mapping[str, Any]], Rule]

CODE_MODULES = (
    "callguard.detectors.validators",
    "callguard.detectors.candidates",
    "callguard.detectors.patterns",
    "callguard.detectors.spoken",
    "callguard.detectors.spoken_card",
    "callguard.detectors.sad",
    "callguard.detectors.bank",
    "callguard.detectors.identifiers",
    "callguard.detectors.phi",
    "callguard.detectors.conversation",
    "callguard.checks.servers",
    "callguard.checks.cloud",
    "callguard.checks.certificates",
    "callguard.checks.unparsed",
)


@dataclass(frozen=True)
class NamedCode:
    """Everything a rule pack can name, merged from `CODE_MODULES`."""

    validators: Mapping[str, Validator]
    describers: Mapping[str, Describer]
    normalizers: Mapping[str, Normalizer]
    expanders: Mapping[str, Expander]
    detectors: Mapping[str, DetectorFactory]


@functools.lru_cache(maxsize=1)
def named_code() -> NamedCode:
    """Import the code modules once and merge their tables; a name defined twice is a bug."""
    tables: dict[str, dict[str, Any]] = {
        "VALIDATORS": {},
        "DESCRIBERS": {},
        "NORMALIZERS": {},
        "EXPANDERS": {},
        "DETECTORS": {},
    }
    for module_name in CODE_MODULES:
        module = importlib.import_module(module_name)
        for table_name, merged in tables.items():
            for name, function in getattr(module, table_name, {}).items():
                if name in merged:
                    raise RuntimeError(f"{module_name}: {table_name} name {name!r} defined twice")
                merged[name] = function
    return NamedCode(
        validators=tables["VALIDATORS"],
        describers=tables["DESCRIBERS"],
        normalizers=tables["NORMALIZERS"],
        expanders=tables["EXPANDERS"],
        detectors=tables["DETECTORS"],
    )
