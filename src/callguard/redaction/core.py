"""Redaction of one input: scan, plan edits, write the same format, verify, plan the muting.

`Redactor` holds one Scanner and one policy, so a directory of files costs one rule load. For
each input it scans every Document with mirror duplicates kept (a vendor's full-transcript
string must lose the number as well as the word items), turns findings into raw-text edits,
applies them, and then reads the result again as the same format: it must still parse, and
no finding of a redacted type may remain outside the replacements it wrote. Only then is the
result returned; otherwise RedactionError, and nothing should be written for that input.
"""

from __future__ import annotations

import bisect
import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from callguard.config import Config
from callguard.document import Document, DocumentBuilder, RawString
from callguard.engine import Scanner
from callguard.errors import InputError
from callguard.formats import GZIP_MAGIC, gunzip, read_documents
from callguard.model import Finding
from callguard.redaction.errors import RedactionError
from callguard.redaction.keys import RedactionKey, as_key
from callguard.redaction.mute import AUDIO_FORMATS, mute_plan
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
from callguard.redaction.tokens import TOKEN

DEFAULT_MARGIN = 0.25
MAX_ROUNDS = 8
_GENERATED = re.compile(rf"\[[A-Z][A-Z0-9_]{{0,39}}(?::hmac:[0-9a-f]{{12}})?\]|{TOKEN.pattern}")


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

    def __repr__(self) -> str:
        return f"Redactor(policy={self.policy.describe()}, margin={self.margin})"

    def redact_text(self, text: str, *, path: str = "<text>") -> str:
        """Redact one string read as plain text (a chat message, a log line)."""
        builder = DocumentBuilder(path, "text", text)
        builder.add(text, RawString(0, len(text)))
        return self.redact_document(builder.build())

    def redact_document(self, document: Document) -> str:
        """The raw text of `document` with its findings replaced (one round, not read back)."""
        base = document.raw_origin[0]
        plan = self._plan([document], document.raw_text, base, [])
        return apply_edits(document.raw_text, plan.edits, base)[0]

    def redact_bytes(self, data: bytes, *, path: str, verify: bool = True) -> RedactionResult:
        """Redact one file's bytes into the same format; gzip in, gzip out.

        With `verify`, the result is read again as its format until a reading finds nothing
        new: redacting one value can change the context of another (a "code" that was read
        as part of a card number becomes a security code once the number is gone), so up to
        MAX_ROUNDS rounds redact; the reading after the last must find nothing. Raises
        InputError if the input cannot be read (BinaryInput if binary), RedactionError if
        the output does not read back or findings remain.
        """
        compressed = data[:2] == GZIP_MAGIC
        limit = self.scanner.format_options.max_decompressed_bytes
        plain = gunzip(path, data, limit) if compressed else data
        text = plain.decode("utf-8", "surrogateescape")
        done = _Progress()
        for round_number in range(MAX_ROUNDS + 1):
            encoded = plain if round_number == 0 else text.encode("utf-8", "surrogateescape")
            plan = self._read_and_plan(path, encoded, text, done.exempt, round_number)
            done.format = done.format or plan.format
            if not plan.edits:
                break
            if round_number == MAX_ROUNDS:
                rules = ", ".join(sorted({f.rule_id for f in plan.findings}))
                raise RedactionError(
                    f"{path}: {len(plan.findings)} finding(s) of redacted types remain after"
                    f" redaction ({rules}); nothing written"
                )
            text, spans = apply_edits(text, plan.edits)
            done.add(plan, spans)
            if not verify:
                break
        return self._result(path, data, compressed, text, done)

    # -- internals -------------------------------------------------------------------------

    def _read_and_plan(
        self, path: str, data: bytes, text: str, exempt: list[Span], round_number: int
    ) -> _Plan:
        try:
            documents = read_documents(path, data, self.scanner.format_options)
            return self._plan(documents, text, 0, exempt)
        except InputError as exc:
            if round_number == 0:
                raise
            raise RedactionError(
                f"{path}: redacted output does not read back as its format"
                f" ({exc.__class__.__name__}); nothing written"
            ) from None

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
            decoder = Decoder(document)
            first = first or decoder
            for finding in self.scanner.scan_document(document, keep_mirrors=True):
                if self.policy.strategy_for(finding.entity_type) == "keep":
                    continue
                if exempt and all(
                    _inside(loc.char_offset, loc.char_length, starts, exempt)
                    for loc in finding.locations
                ):
                    continue
                findings.append(finding)
                pieces += finding_pieces(finding, decoder, document.raw_text, _base(document))
        # Only plain text comes in several Documents (windows), and it decodes as itself.
        decode = first.decode if first is not None and count == 1 else _identity(raw_text, base)
        merged = merge_pieces(pieces, decode, raw_text, base)
        edits = [
            Edit(piece.start, piece.end, escape(self._renderer.render(piece), piece.escape), piece)
            for piece in merged
        ]
        return _Plan(edits, findings, fmt, _untimed(findings))


Span = tuple[int, int]


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
        self.exempt = _carry(self.exempt, plan.edits, spans)


def _carry(exempt: list[Span], edits: list[Edit], spans: list[Span]) -> list[Span]:
    """Generated spans after this round's edits: old ones moved (or dropped if edited), new added.

    A rule may see a number inside a hash or token we wrote: that is not a leak. Only text of
    those generated shapes is exempt; `partial` keeps real digits and never is.
    """
    kept: list[Span] = []
    index = shift = 0
    for start, end in exempt:
        while index < len(edits) and edits[index].end <= start:
            shift = spans[index][1] - edits[index].end
            index += 1
        if index < len(edits) and edits[index].start < end:
            continue
        kept.append((start + shift, end + shift))
    new = [span for span, edit in zip(spans, edits, strict=True) if _GENERATED.fullmatch(edit.text)]
    return sorted(kept + new)


def _base(document: Document) -> int:
    return document.raw_origin[0]


def _identity(raw_text: str, base: int) -> Decode:
    def decode(start: int, end: int) -> tuple[str, str]:
        return raw_text[start - base : end - base], "none"

    return decode


def _inside(offset: int, length: int, starts: list[int], spans: list[Span]) -> bool:
    index = bisect.bisect_right(starts, offset) - 1
    return index >= 0 and offset + length <= spans[index][1]


def _untimed(findings: list[Finding]) -> int:
    """Findings with no audio time whose value was not also found somewhere timed."""

    def is_timed(finding: Finding) -> bool:
        return any(
            loc.audio_start is not None or loc.audio_end is not None for loc in finding.locations
        )

    timed = {finding.fingerprint for finding in findings if is_timed(finding)}
    return sum(1 for f in findings if not is_timed(f) and f.fingerprint not in timed)
