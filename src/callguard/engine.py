"""The Scanner: loads rules once, runs them over Documents, turns matches into Findings.

Per document: one RE2 set search (RuleGate) finds which selected rules can match at all; those
scan the analysis text; matches below the confidence floor
or on the allow-list are dropped; overlapping matches of one entity type are merged (the most
confident wins); each survivor is mapped back to raw locations, masked and fingerprinted;
findings on a line marked `callguard: ignore` (or the line below one) are suppressed.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from callguard.config import Config
from callguard.detectors.search import RuleGate
from callguard.document import Document, DocumentBuilder, RawString
from callguard.errors import CallguardError, ConfigError, InputError
from callguard.formats import BinaryInput, FormatOptions, read_documents
from callguard.model import FileError, Finding, RuleMeta, ScanResult, SkippedFile
from callguard.privacy import Fingerprinter, preview
from callguard.registry import all_rules
from callguard.rule import Match, Reach, Rule
from callguard.sources import iter_artifacts

if TYPE_CHECKING:
    from callguard.batch import InputOutcome

_SUPPRESSION = re.compile(r"callguard:\s{0,4}ignore(?:\[([A-Za-z0-9_, -]{1,400})\])?")


class Scanner:
    """Scans text, bytes, Documents and paths with one set of rules, loaded once.

    Build one per process and reuse it: construction reads the rule packs; scanning is cheap.
    """

    def __init__(
        self,
        *,
        profile: str | None = None,
        config: Config | None = None,
        rules: Sequence[Rule] | None = None,
        fingerprinter: Fingerprinter | None = None,
    ) -> None:
        self.config = config or Config()
        self.profile = profile or self.config.profile
        self._rules_given = rules is not None
        candidates = list(rules) if rules is not None else all_rules(self.config.rule_packs)
        _check_rule_ids(self.config, {rule.meta.id for rule in candidates})
        self._rules = [rule for rule in candidates if self._is_selected(rule.meta)]
        self._metas = {rule.meta.id: self._effective_meta(rule.meta) for rule in self._rules}
        self._gate = RuleGate([getattr(rule, "trigger", None) for rule in self._rules])
        self._reach = _widest_reach(self._rules)  # asked once per document read back
        self._fingerprinter = fingerprinter or Fingerprinter.from_environment(
            self.config.fingerprint_key_file
        )
        self._format_options = _format_options(self.config)

    @property
    def rules(self) -> tuple[RuleMeta, ...]:
        """The selected rules, with configured severity overrides applied."""
        return tuple(self._metas.values())

    def focus_reach(self) -> Reach | None:
        """How far around a change a value can be affected, for these rules together; None if
        a rule does not say (it may reach anywhere) or none are selected."""
        return self._reach

    def restricted(self, keep: Callable[[RuleMeta], bool]) -> Scanner:
        """This scanner running only those of its rules whose metadata `keep` accepts.

        Rules, configuration and keys are shared, nothing is loaded again: redaction reads its
        output back with the rules of the entity types it redacts, and no others.
        """
        narrowed = copy.copy(self)
        narrowed._rules = [rule for rule in self._rules if keep(self._metas[rule.meta.id])]
        narrowed._metas = {rule.meta.id: self._metas[rule.meta.id] for rule in narrowed._rules}
        narrowed._gate = RuleGate([getattr(rule, "trigger", None) for rule in narrowed._rules])
        narrowed._reach = _widest_reach(narrowed._rules)
        narrowed._rules_given = True  # its rules are a selection: not rebuilt from a recipe
        return narrowed

    @property
    def fingerprint_key_id(self) -> str:
        """Public id of the fingerprint key, recorded in baselines."""
        return self._fingerprinter.key_id

    @property
    def fingerprints_are_stable(self) -> bool:
        """False when no key was configured: fingerprints then differ from run to run."""
        return self._fingerprinter.stable

    def scan_text(self, text: str, *, path: str = "<text>") -> list[Finding]:
        """Scan one string as plain text (a chat message, a log line, a transcript)."""
        builder = DocumentBuilder(path, "text", text)
        builder.add(text, RawString(0, len(text)))
        return self.scan_document(builder.build())

    def scan_document(self, document: Document, *, keep_mirrors: bool = False) -> list[Finding]:
        """Scan one Document.

        `keep_mirrors=True` also keeps findings in mirror text whose value the conversation
        holds: a report shows each value once, but redaction must reach every copy.
        """
        return self._scan_document(document, keep_mirrors=keep_mirrors)[0]

    @property
    def format_options(self) -> FormatOptions:
        """How this scanner reads inputs (chat field names from the configuration)."""
        return self._format_options

    def scan_bytes(self, data: bytes, *, path: str) -> list[Finding]:
        """Detect the format of `data`, then scan it. Raises InputError if it cannot be read."""
        findings: list[Finding] = []
        for document in read_documents(path, data, self._format_options):
            findings.extend(self._scan_document(document)[0])
        return findings

    def scan_paths(
        self,
        targets: Iterable[str | Path],
        *,
        progress: Callable[[int, str], None] | None = None,
        workers: int = 1,
        since: str | None = None,
        state_file: Path | None = None,
    ) -> ScanResult:
        """Scan files, directories (recursively), `-` for stdin and fsspec URLs.

        `progress(count, path)` is called before each input is read (paths only, never content),
        so a long run can show where it is. `workers > 1` scans in that many processes (0: one
        per CPU) with the same result (`callguard.batch`). `since` (a git revision) keeps only
        local files changed since then (`callguard.sources.ChangedFiles`). `state_file` skips
        inputs an earlier run with the same rules scanned and records this run's
        (`callguard.state`).
        """
        from callguard.batch import resolve_workers, scan_artifacts
        from callguard.state import ScanState

        errors: list[FileError] = []
        artifacts = iter_artifacts(
            [str(target) for target in targets],
            include=self.config.include,
            exclude=self.config.exclude,
            errors=errors,
            since=since,
        )
        state = ScanState.open(state_file, self) if state_file is not None else None
        return scan_artifacts(
            self,
            artifacts,
            errors=errors,
            workers=resolve_workers(workers),
            progress=progress,
            state=state,
        )

    def scan_input(self, path: str, data: bytes) -> InputOutcome:
        """Scan one input's bytes: its findings, or why it was skipped or could not be read."""
        from callguard.batch import InputOutcome

        findings: list[Finding] = []
        suppressed = 0
        try:
            for document in read_documents(path, data, self._format_options):
                found, dropped = self._scan_document(document)
                findings.extend(found)
                suppressed += dropped
        except BinaryInput as exc:
            return InputOutcome(path, skipped=SkippedFile(path, str(exc)))
        except (InputError, OSError) as exc:
            return InputOutcome(path, error=FileError(path, describe_error(path, exc)))
        return InputOutcome(path, tuple(findings), suppressed)

    def recipe(self) -> tuple[str, Config, Fingerprinter]:
        """What another process needs to build the same Scanner (`callguard.batch` workers).

        Only a Scanner built from a profile and configuration can be rebuilt: rule objects
        passed in directly may not survive being sent to another process.
        """
        if self._rules_given:
            raise ValueError("a Scanner built with rules= cannot scan in worker processes")
        return self.profile, self.config, self._fingerprinter

    # -- internals -------------------------------------------------------------------------

    def _scan_document(
        self, document: Document, *, keep_mirrors: bool = False
    ) -> tuple[list[Finding], int]:
        reach = self.focus_reach() if document.focus is not None else None
        active = self._gate.active(_focused_text(document, reach))
        matches = [
            match
            for rule, is_active in zip(self._rules, active, strict=True)
            if is_active
            for match in rule.scan(document)
        ]
        matches = [m for m in matches if self._is_reportable(m) and _is_owned(document, m)]
        if not keep_mirrors:
            matches = _drop_mirrored(document, matches)
        # In text order, so that line numbers are counted in one sweep (`LineCounter`).
        merged = sorted(_merge_overlaps(matches, self._metas), key=_first_offset)
        findings = [self._finding(document, match) for match in merged]
        markers = _suppression_markers(document) if findings else {}
        kept = [finding for finding in findings if not _is_suppressed(finding, markers)]
        kept.sort(key=lambda finding: (finding.location.char_offset, finding.rule_id))
        return kept, len(findings) - len(kept)

    def _is_reportable(self, match: Match) -> bool:
        if match.confidence < self.config.min_confidence:
            return False
        return not any(pattern.search(match.value) for pattern in self.config.allow)

    def _finding(self, document: Document, match: Match) -> Finding:
        meta = self._metas[match.rule_id]
        locations = [loc for start, end in match.spans for loc in document.locate(start, end)]
        locations += [document.locate_raw(start, end) for start, end in match.raw_spans]
        shown = preview(meta.entity_type, match.value)
        detail = f" ({match.detail})" if match.detail else ""
        return Finding(
            rule_id=meta.id,
            entity_type=meta.entity_type,
            severity=meta.severity,
            confidence=match.confidence,
            path=document.path,
            locations=tuple(locations),
            preview=shown,
            fingerprint=self._fingerprinter.fingerprint(meta.entity_type, match.value),
            message=f"{meta.title}{detail}: {shown}",
        )

    def _is_selected(self, meta: RuleMeta) -> bool:
        if self.config.enable and meta.id not in self.config.enable:
            return False
        if meta.id in self.config.disable:
            return False
        return self.profile == "all" or self.profile in meta.profiles

    def _effective_meta(self, meta: RuleMeta) -> RuleMeta:
        override = self.config.severity.get(meta.id)
        return dataclasses.replace(meta, severity=override) if override else meta


def _merge_overlaps(matches: list[Match], metas: dict[str, RuleMeta]) -> list[Match]:
    """Keep one match per overlapping cluster of the same entity type: the most confident."""

    def extent(match: Match) -> tuple[int, int]:
        spans = match.spans or match.raw_spans
        return min(start for start, _ in spans), max(end for _, end in spans)

    ordered = sorted(
        ((match, extent(match)) for match in matches),
        key=lambda item: (metas[item[0].rule_id].entity_type, bool(item[0].raw_spans), *item[1]),
    )
    kept: list[tuple[Match, tuple[int, int]]] = []
    for match, (start, end) in ordered:
        if kept:
            previous, (previous_start, previous_end) = kept[-1]
            if (
                metas[previous.rule_id].entity_type == metas[match.rule_id].entity_type
                and bool(previous.raw_spans) == bool(match.raw_spans)
                # Config findings are about distinct settings: two rules on one block both stand.
                and (not match.raw_spans or previous.rule_id == match.rule_id)
                and start < previous_end
            ):
                if (match.confidence, -start) > (previous.confidence, -previous_start):
                    kept[-1] = (match, (start, end))
                continue
        kept.append((match, (start, end)))
    return [match for match, _ in kept]


def _first_offset(match: Match) -> int:
    """Where a match starts in its document (text spans first, as `_finding` locates them)."""
    return min(start for start, _ in match.spans or match.raw_spans)


def _drop_mirrored(document: Document, matches: list[Match]) -> list[Match]:
    """Drop matches in mirror text whose value the conversation itself already holds."""
    if not any(segment.mirror for segment in document.segments):
        return matches
    mirrored = [
        bool(m.spans) and document.is_mirror(m.spans[0][0], m.spans[-1][1]) for m in matches
    ]
    primary = {
        (m.rule_id, m.value) for m, is_copy in zip(matches, mirrored, strict=True) if not is_copy
    }
    return [
        match
        for match, is_copy in zip(matches, mirrored, strict=True)
        if not (is_copy and (match.rule_id, match.value) in primary)
    ]


def _widest_reach(rules: Sequence[Rule]) -> Reach | None:
    """The reach of the rules together (`Scanner.focus_reach`)."""
    reaches: list[Reach] = []
    for rule in rules:
        reach = getattr(rule, "reach", None)
        if not isinstance(reach, Reach):
            return None
        reaches.append(reach)
    if not reaches:
        return None
    before = max(r.lines if r.lines_before is None else r.lines_before for r in reaches)
    return Reach(max(r.chars for r in reaches), max(r.lines for r in reaches), before)


def _focused_text(document: Document, reach: Reach | None) -> str:
    """The text the rule gate searches: with a focus and every rule's reach known, only the
    lines within the widest reach of the focus.

    Triggers never cross a line, and focus spans are whole lines, so joining them with line
    breaks wakes exactly the rules that could start a candidate in their focus.
    """
    if document.focus is None or reach is None:
        return document.text
    spans = document.focus_spans(reach)
    if spans == ((0, len(document.text)),):
        return document.text  # a short call is all focus: the rules search this very text
    return "\n".join(document.text[start:end] for start, end in spans)


def _is_owned(document: Document, match: Match) -> bool:
    """Windows of a huge file overlap: only the window owning a match's start reports it."""
    return not match.spans or document.owns(match.spans[0][0])


# line number -> the rule ids its marker names (None: every rule)
SuppressionMarkers = dict[int, "frozenset[str] | None"]


def _suppression_markers(document: Document) -> SuppressionMarkers:
    """Every `callguard: ignore` marker of the document, found in one pass over its raw text."""
    markers: SuppressionMarkers = {}
    if "callguard:" not in document.raw_text:
        return markers
    for marker in _SUPPRESSION.finditer(document.raw_text):
        ids = marker.group(1)
        named = frozenset(part.strip().upper() for part in ids.split(",")) if ids else None
        markers[document.line_number(marker.start())] = named
    return markers


def _is_suppressed(finding: Finding, markers: SuppressionMarkers) -> bool:
    """True if the finding's line, or the line above it, carries a marker for its rule."""
    line = finding.location.start_line
    for marked in (line, line - 1):
        if marked in markers:
            named = markers[marked]
            if named is None or finding.rule_id.upper() in named:
                return True
    return False


def _check_rule_ids(config: Config, known: set[str]) -> None:
    named = {*config.enable, *config.disable, *config.severity}
    unknown = sorted(named - known)
    if unknown:
        where = str(config.source) if config.source else "configuration"
        raise ConfigError(f"{where}: unknown rule id(s): {', '.join(unknown)}")


def _format_options(config: Config) -> FormatOptions:
    defaults = FormatOptions()
    return FormatOptions(
        chat_text_fields=config.chat_text_fields or defaults.chat_text_fields,
        chat_author_fields=config.chat_author_fields or defaults.chat_author_fields,
        chat_time_fields=config.chat_time_fields or defaults.chat_time_fields,
    )


def describe_error(path: str, exc: CallguardError | OSError) -> str:
    """One line without input text and without the path (the FileError holds that): our
    messages never quote input; OS errors give their reason only."""
    if isinstance(exc, OSError):
        return f"cannot read ({exc.strerror or exc.__class__.__name__})"
    text = str(exc)
    return text.removeprefix(f"{path}: ")
