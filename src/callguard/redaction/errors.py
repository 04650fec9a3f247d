"""The redaction error: one line naming the file, never quoting what was redacted."""

from __future__ import annotations

from callguard.errors import InputError


class RedactionError(InputError):
    """Redaction or un-redaction of one input failed; nothing was written for it."""
