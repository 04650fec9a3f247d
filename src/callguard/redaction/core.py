"""Redaction of one input: scan, plan edits, write the same format, verify, plan the muting.

`Redactor` holds one Scanner and one policy, so a directory of files costs one rule load. For
each input it scans every Document with mirror duplicates kept (a vendor's full-transcript
string must lose the number as well as the word items), turns findings into raw-text edits,
applies them, and then scans the result again: it must still parse, and no finding of a
redacted type may remain outside the replacements it wrote. For plain text and speech-to-text
JSON that second scan reads a Document carried over from the input's (`readback.py`); every
other format, and every later round, reads the output again. Only then is the result
returned; otherwise RedactionError, and nothing should be written for that input.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from callguard.config import Config
from callguard.document import Document, DocumentBuilder, RawString
from callguard.engine import Scanner
from callguard.errors import InputError
from callguard.formats import GZIP_MAGIC, gunzip, read_documents, read_text
from callguard.model import Finding
from callguard.redaction.errors import RedactionError
from callguard.redaction.generated import Span, carry, is_generated
from callguard.redaction.keys import RedactionKey, as_key
from callguard.redaction.mute import AUDIO_FORMATS, mute_plan, untimed_count
from callguard.redaction.patch import patch_document
from callguard.redaction.pieces import (
    Decode,
    Decoder,
    Edit,
    Piece,
    apply_edits,
    escape,
    finding_pieces,
    merge_pieces,
)
from callguard.redaction.policy import Policy, Renderer, as_policy
from callguard.redaction.readback import carried_over

DEFAULT_MARGIN = 0.25
MAX_ROUNDS = 8


@dataclass(frozen=True)
class RedactionResult:
    """One redacted input: the bytes to write (same format, gzip kept) and what was done."""

    path: str
    format: str
    data: bytes = field(repr=False)
    findings: tuple[Finding, ...] = ()
    replacements: int = 0
    mute: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def changed(self) -> bool:
        return self.replacements > 0


@dataclass
class _Plan:
    """Edits of one raw text, and what the mute sidecar needs."""

    edits: list[Edit]
    findings: list[Finding]
    format: str
    untimed: int


class Redactor:
    """Redacts inputs with one scanner, policy and key; build once, reuse for many inputs."""

    def __init__(
        self,
        *,
        profile: str | None = None,
        config: Config | None = None,
        scanner: Scanner | None = None,
        strategy: str | Policy = "tag",
        key: RedactionKey | bytes | str | None = None,
        margin: float = DEFAULT_MARGIN,
    ) -> None:
        self.scanner = scanner or Scanner(profile=profile, config=config)
        self.policy = as_policy(strategy)
        self.key = as_key(key) if (key is not None or self.policy.needs_key) else None
        self._renderer = Renderer(self.policy, self.key)
        self.margin = margin
        # Rules of types the policy keeps cannot change the output: neither run them nor
        # read the output back with them (configuration checks are always kept).
        self._rules = self.scanner.restricted(
            lambda meta: self.policy.strategy_for(meta.entity_type) != "keep"
        )

    def __repr__(self) -> str:
        return f"Redactor(policy={self.policy.describe()}, margin={self.margin})"

    def redact_text(self, text: str, *, path: str = "<text>") -> str:
        """Redact one string read as plain text (a chat message, a log line)."""
        builder = DocumentBuilder(path, "text", text)
        builder.add(text, RawString(0, len(text)))
        return self.redact_document(builder.build())

    def redact_document(self, document: Document) -> str:
        """The raw text of `document` with its findings replaced, in the Document's own syntax.

        Redacting one value can make another detectable (a mask between two halves of a
        spoken number joins them), so the redacted text is scanned again and redacted again,
        up to MAX_ROUNDS rounds; later rounds scan the Document carried over to the redacted
        text (same turns and speakers), or read again when it cannot be carried over.
        Raises RedactionError if findings remain after the last round.
        """
        base = document.raw_origin[0]
        raw = document.raw_text
        exempt: list[Span] = []
        for round_number in range(MAX_ROUNDS + 1):
            plan = self._plan([document], raw, base, exempt)
            if not plan.edits:
                return raw
            if round_number == MAX_ROUNDS:
                raise RedactionError(_remaining(document.path, plan))
            raw, spans = apply_edits(raw, plan.edits, base)
            exempt = carry(exempt, plan.edits, [(a + base, b + base) for a, b in spans])
            document = self._next_document(document, plan.edits, spans, raw)
        raise AssertionError("unreachable: the last round returns or raises")

    def redact_bytes(self, data: bytes, *, path: str, verify: bool = True) -> RedactionResult:
        """Redact one file's bytes into the same format; gzip in, gzip out.

        With `verify`, the result is scanned again before it is returned (see `_verify`).
        Raises InputError if the input cannot be read (BinaryInput if binary), RedactionError
        if the output does not read back as its format or findings remain.
        """
        compressed = data[:2] == GZIP_MAGIC
        limit = self.scanner.format_options.max_decompressed_bytes
        plain = gunzip(path, data, limit) if compressed else data
        text = plain.decode("utf-8", "surrogateescape")
        documents = self._read(path, plain, 0)
        plan = self._plan(documents, text, 0, [])
        done = _Progress(format=plan.format)
        if plan.edits:
            text, spans = apply_edits(text, plan.edits)
            done.add(plan, spans)
            if verify:
                text = self._verify(path, documents, plan, spans, text, done)
        return self._result(path, data, compressed, text, done)

    # -- internals -------------------------------------------------------------------------

    def _verify(
        self,
        path: str,
        documents: list[Document],
        plan: _Plan,
        spans: list[Span],
        text: str,
        done: _Progress,
    ) -> str:
        """Scan the redacted text again; redact what that finds, up to MAX_ROUNDS rounds.

        Redacting one value can change the context of another (a "code" read as part of a
        card number becomes a security code once the number is gone). The first reading is
        the quick one when the format allows it (`readback.py`: the Document carried over,
        then checked against what the reader decides from the edited text); what it finds is
        redacted as the first round's findings. Every later round, and every round when the
        quick reading cannot vouch for the output, reads the output in full, and the reading
        after the last round must find nothing.
        """
        options = self.scanner.format_options
        carried = carried_over(path, documents, plan.edits, spans, text, options)
        first = 1
        if carried is not None:
            quick = self._plan([carried], text, 0, done.exempt)
            if not quick.edits:
                return text
            # The carried Document reads as the output would: its findings are the first
            # round's. Redact them; the rounds after read the output in full.
            text, spans = apply_edits(text, quick.edits)
            done.add(quick, spans)
            first = 2
        for round_number in range(first, MAX_ROUNDS + 1):
            encoded = text.encode("utf-8", "surrogateescape")
            plan = self._plan(self._read(path, encoded, round_number), text, 0, done.exempt)
            if not plan.edits:
                return text
            if round_number == MAX_ROUNDS:
                raise RedactionError(f"{_remaining(path, plan)}; nothing written")
            text, spans = apply_edits(text, plan.edits)
            done.add(plan, spans)
        raise AssertionError("unreachable: the last round returns or raises")

    def _read(self, path: str, data: bytes, round_number: int) -> list[Document]:
        """The Documents of an input, or of a redacted output (which must read back)."""
        try:
            return list(read_documents(path, data, self.scanner.format_options))
        except InputError as exc:
            if round_number == 0:
                raise
            raise RedactionError(
                f"{path}: redacted output does not read back as its format"
                f" ({exc.__class__.__name__}); nothing written"
            ) from None

    def _next_document(
        self, document: Document, edits: list[Edit], spans: list[Span], raw: str
    ) -> Document:
        """The Document of the redacted raw text: carried over, else read again."""
        patched = patch_document(document, edits, spans, raw)
        if patched is not None:
            return patched.document
        if document.raw_origin == (0, 1, 1) and document.owned_span is None:
            try:
                again = list(read_text(document.path, raw, self.scanner.format_options))
            except InputError:
                again = []
            if len(again) == 1 and again[0].format == document.format:
                return again[0]
        raise RedactionError(
            f"{document.path}: the redacted text cannot be read again as {document.format}"
            " to check it; redact the whole file with redact_bytes"
        )

    def _result(
        self, path: str, data: bytes, compressed: bool, text: str, done: _Progress
    ) -> RedactionResult:
        out = data
        if done.replacements:
            out = text.encode("utf-8", "surrogateescape")
            out = gzip.compress(out, mtime=0) if compressed else out
        mute = None
        if done.format in AUDIO_FORMATS:
            mute = mute_plan(done.timed, source=path, margin=self.margin, untimed=done.untimed)
        return RedactionResult(
            path=path,
            format=done.format,
            data=out,
            findings=tuple(done.findings),
            replacements=done.replacements,
            mute=mute,
        )

    def _plan(
        self, documents: Iterable[Document], raw_text: str, base: int, exempt: list[Span]
    ) -> _Plan:
        """Edits for every finding not lying wholly inside text we generated (`exempt`)."""
        pieces: list[Piece] = []
        findings: list[Finding] = []
        first: Decoder | None = None
        count = 0
        fmt = ""
        starts = [start for start, _ in exempt]
        for document in documents:
            fmt, count = document.format, count + 1
            found = [
                finding
                for finding in self._rules.scan_document(document, keep_mirrors=True)
                if not is_generated(finding, starts, exempt)
            ]
            if not found:
                continue
            decoder = Decoder(document)
            first = first or decoder
            findings += found
            for finding in found:
                pieces += finding_pieces(finding, decoder, document.raw_text, _base(document))
        # Only plain text comes in several Documents (windows), and it decodes as itself.
        decode = first.decode if first is not None and count == 1 else _identity(raw_text, base)
        merged = merge_pieces(pieces, decode, raw_text, base)
        edits = [
            Edit(piece.start, piece.end, escape(self._renderer.render(piece), piece.escape), piece)
            for piece in merged
        ]
        return _Plan(edits, findings, fmt, untimed_count(findings))


@dataclass
class _Progress:
    """What the rounds of one input have done so far."""

    format: str = ""
    replacements: int = 0
    untimed: int = 0
    findings: list[Finding] = field(default_factory=list)
    timed: list[tuple[float | None, float | None, str | None]] = field(default_factory=list)
    exempt: list[Span] = field(default_factory=list)

    def add(self, plan: _Plan, spans: list[Span]) -> None:
        self.replacements += len(plan.edits)
        self.untimed += plan.untimed
        self.findings += plan.findings
        self.timed += [edit.piece.audio for edit in plan.edits if edit.piece.audio is not None]
        self.exempt = carry(self.exempt, plan.edits, spans)


def _remaining(path: str, plan: _Plan) -> str:
    """One line naming the rules whose findings are left, never the values."""
    rules = ", ".join(sorted({finding.rule_id for finding in plan.findings}))
    return (
        f"{path}: {len(plan.findings)} finding(s) of redacted types remain after redaction"
        f" ({rules}; {MAX_ROUNDS} rounds)"
    )


def _base(document: Document) -> int:
    return document.raw_origin[0]


def _identity(raw_text: str, base: int) -> Decode:
    def decode(start: int, end: int) -> tuple[str, str]:
        return raw_text[start - base : end - base], "none"

    return decode
