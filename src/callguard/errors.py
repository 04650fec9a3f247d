"""The exceptions callguard raises.

One base class, a shallow tree. Every message is one line that says what went wrong, where,
and how to fix it, and never quotes the input text it was scanning.
"""

from __future__ import annotations


class CallguardError(Exception):
    """Base class of every error callguard raises on purpose."""


class ConfigError(CallguardError):
    """A configuration file, rule pack or command-line option is invalid."""


class RuleError(ConfigError):
    """A rule pack entry is invalid: the message names the file and the rule id."""


class InputError(CallguardError):
    """An input cannot be read or parsed (malformed JSON, unreadable file, bad URL)."""


class KeyMaterialError(CallguardError):
    """A key file or key variable is missing, malformed or readable by others."""


class OutputError(CallguardError):
    """A report, summary, state or redacted file cannot be written where it was asked to go."""
