"""The engine, driven from the worker thread: overlays in, converted diagnostics out.

The event loop never touches the engine. It records what changed (buffer texts, files changed
on disk, settings) with the thread-safe ``set_*`` methods; the worker applies those changes
before each job (:meth:`EngineHost.apply_pending`) and then analyses. Every outcome carries the
document versions it saw, so the loop can refuse to publish results for a superseded version.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache
from lsprotocol import types
from lsprotocol.converters import get_converter

from tfguard.config import Settings
from tfguard.engine import Engine, ModuleResult, fixes_for
from tfguard.findings import Finding, Range, Severity
from tfguard.fixer import fix_module
from tfguard.fixes import Fix
from tfguard.lsp.convert import DEFAULT_SEVERITY_MAP, UTF16, Lines, finding_to_diagnostic
from tfguard.rules import registry
from tfguard.suppress import Suppression

log = logging.getLogger(__name__)


# The code of the diagnostic a broken configuration file gets.
CONFIG_RULE_ID = "config"
# More findings than this in one file are not all shown in the editor: converting and sending
# tens of thousands of diagnostics on each keystroke took seconds, and nobody reads them there.
MAX_DIAGNOSTICS_PER_FILE = 2000
TOO_MANY_RULE_ID = "too-many-findings"


@dataclass(frozen=True)
class Conversion:
    """How findings become diagnostics for this client."""

    encoding: str = UTF16
    severity_map: Mapping[Severity, types.DiagnosticSeverity] = field(
        default_factory=lambda: dict(DEFAULT_SEVERITY_MAP)
    )


@dataclass(frozen=True)
class FileOutcome:
    path: str
    version: int | None  # the buffer version analysed; None when the text came from disk
    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...]
    diagnostics: tuple[types.Diagnostic, ...]
    payload: tuple[dict[str, Any], ...]  # the same diagnostics as JSON, ready to send


@dataclass(frozen=True)
class AnalysisOutcome:
    directory: str
    files: dict[str, FileOutcome]
    overlay_versions: dict[str, int]  # buffer versions in this directory the analysis saw
    generation: int  # settings generation the analysis ran with
    config_error: str | None
    duration_ms: float
    result: ModuleResult


@dataclass(frozen=True)
class FixAllOutcome:
    """Every preferred fix of one file applied in memory (nothing is written to disk)."""

    before: dict[str, str]  # path -> text before the fixes ("" for a file that did not exist)
    after: dict[str, str]  # path -> text after them
    existed: dict[str, bool]  # path -> whether the file (or an editor buffer) existed
    versions: dict[str, int]  # buffer versions the fixes were computed from
    fixed: int  # findings fixed
    rejected: tuple[str, ...]  # why some fixes were left out


def doc_url_of(rule_id: str) -> str | None:
    rule = registry.get(rule_id)
    if rule is None:
        return None
    url = rule.doc_url
    return url or None


class EngineHost:
    """Owns the engine. ``set_*``/``drop_*``/``invalidate`` may be called from any thread;
    ``apply_pending``, ``analyze`` and ``discover`` only from the worker thread."""

    def __init__(
        self,
        engine_factory: Callable[[], Engine] = Engine,
        uri_for: Callable[[str], str] | None = None,
    ) -> None:
        self._engine_factory = engine_factory
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self._pending_overlays: dict[str, tuple[str, int] | None] = {}
        self._pending_invalidations: list[str] = []
        self._pending_settings: tuple[Settings, Conversion, int] | None = None
        # Worker-side state.
        self._applied: dict[str, tuple[str, int]] = {}
        self._conversion = Conversion()
        self._generation = 0
        self._uri_for = uri_for or _file_uri
        self._doc_urls: dict[str, str | None] = {}
        # Conversions of unchanged findings are reused from one keystroke to the next: those
        # of each module's last analysis are kept (nothing older, so that a long session does
        # not keep a conversion for every version of every finding).
        self._conversions: LRUCache[str, _Conversions] = LRUCache(maxsize=CONVERTED_MODULES)
        self._then = self._now = _Conversions()
        self._json = get_converter()
        # The fixes of a finding of one analysis, by identity (the value keeps both objects, so
        # a recycled ``id`` can never match).
        self._fixes: LRUCache[tuple[int, int], tuple[ModuleResult, Finding, list[Fix]]] = LRUCache(
            maxsize=4096
        )

    # -- any thread -------------------------------------------------------------------------

    def set_overlay(self, path: str, text: str, version: int) -> None:
        with self._lock:
            self._pending_overlays[path] = (text, version)

    def drop_overlay(self, path: str) -> None:
        with self._lock:
            self._pending_overlays[path] = None

    def invalidate(self, path: str) -> None:
        with self._lock:
            self._pending_invalidations.append(path)

    def configure(self, settings: Settings, conversion: Conversion, generation: int) -> None:
        with self._lock:
            self._pending_settings = (settings, conversion, generation)

    # -- worker thread ----------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._engine_factory()
            self._engine.incremental = True  # every keystroke re-runs only what it changed
        return self._engine

    def apply_pending(self) -> None:
        with self._lock:
            overlays, self._pending_overlays = self._pending_overlays, {}
            invalidations, self._pending_invalidations = self._pending_invalidations, []
            settings, self._pending_settings = self._pending_settings, None
        engine = self.engine
        if settings is not None:
            engine.settings, conversion, self._generation = settings
            if conversion != self._conversion:
                self._conversion = conversion
                self._conversions.clear()
        for path in invalidations:
            engine.invalidate(path)
        for path, overlay in overlays.items():
            if overlay is None:
                if self._applied.pop(path, None) is not None:
                    engine.drop_overlay(path)
            else:
                engine.set_overlay(path, overlay[0])
                self._applied[path] = overlay

    def discover(self, root: str) -> list[str]:
        return self.engine.discover(root)

    def analyze(self, directory: str) -> AnalysisOutcome:
        """Analyse the module in ``directory`` with the current overlays and settings."""
        started = time.perf_counter()
        result = self.engine.analyze_module(directory)
        self._then = self._conversions.get(directory) or _Conversions()
        self._now = _Conversions()
        for message in result.file_errors.values():
            log.warning("%s", message)
        for message in result.rule_errors:
            log.error("rule failed in %s: %s", directory, message)
        overlay_versions = {
            path: version
            for path, (_, version) in self._applied.items()
            if os.path.dirname(path) == directory
        }
        lines_cache: dict[str, Lines | None] = {}
        files: dict[str, FileOutcome] = {}
        for path in set(result.files) | set(result.findings):
            # Sorted once: diagnostics[i] is always the conversion of findings[i].
            findings = tuple(sorted(result.findings.get(path, ()), key=Finding.sort_key))
            if len(findings) > MAX_DIAGNOSTICS_PER_FILE:
                findings = (*findings[:MAX_DIAGNOSTICS_PER_FILE], _too_many(path, findings))
            suppressions = tuple(result.suppressions.get(path, ()))
            version = overlay_versions.get(path)
            converted: list[tuple[types.Diagnostic, dict[str, Any]]] = []
            if findings:
                lines = self._lines(path, lines_cache) or Lines([])
                converted = [self._convert(f, lines, lines_cache) for f in findings]
            files[path] = FileOutcome(
                path,
                version,
                findings,
                suppressions,
                tuple(d for d, _ in converted),
                tuple(p for _, p in converted),
            )
        error = result.config_error
        if error is not None and error.path:
            # A broken .tfguard.hcl is shown where it is broken, as a diagnostic of its own.
            at = Range.of(error.line, error.column, error.line, error.column + 1)
            problem = Finding(CONFIG_RULE_ID, Severity.HIGH, error.message, error.path, at)
            lines = self._lines(error.path, lines_cache) or Lines([])
            diagnostic, payload = self._convert(problem, lines, lines_cache)
            files[error.path] = FileOutcome(
                error.path, None, (problem,), (), (diagnostic,), (payload,)
            )
        self._conversions[directory] = self._now
        self._then = self._now = _Conversions()
        duration_ms = (time.perf_counter() - started) * 1000.0
        log.debug(
            "analysed %s: %d files, %d findings, engine %.1f ms, total %.1f ms",
            directory,
            len(files),
            sum(len(f.findings) for f in files.values()),
            result.duration_ms,
            duration_ms,
        )
        return AnalysisOutcome(
            directory=directory,
            files=files,
            overlay_versions=overlay_versions,
            generation=self._generation,
            config_error=str(result.config_error) if result.config_error is not None else None,
            duration_ms=duration_ms,
            result=result,
        )

    def fixes(self, result: ModuleResult, findings: Sequence[Finding]) -> list[list[Fix]]:
        """The fixes the rules offer for ``findings`` of ``result``, preferred first."""
        out: list[list[Fix]] = []
        for finding in findings:
            key = (id(result), id(finding))
            cached = self._fixes.get(key)
            if cached is None or cached[0] is not result or cached[1] is not finding:
                cached = (result, finding, fixes_for(result, finding))
                self._fixes[key] = cached
            out.append(cached[2])
        return out

    def fix_all(self, path: str) -> FixAllOutcome:
        """Apply every preferred fix of the findings in ``path`` to the current texts, in
        memory: ``tfguard fix``'s rounds, on the editor's buffers, restored afterwards."""
        engine = self.engine
        versions = {p: version for p, (_, version) in self._applied.items()}
        outcome = fix_module(engine, os.path.dirname(path), only_files={path})  # in memory
        existed = {p: p in engine.overlays or os.path.exists(p) for p in outcome.after}
        for message in outcome.rejected:
            log.info("fix all in %s: %s", path, message)
        return FixAllOutcome(
            before={p: outcome.before.get(p, "") for p in outcome.after},
            after=dict(outcome.after),
            existed=existed,
            versions=versions,
            fixed=len(outcome.fixed),
            rejected=tuple(outcome.rejected),
        )

    def _convert(
        self, finding: Finding, lines: Lines, lines_cache: dict[str, Lines | None]
    ) -> tuple[types.Diagnostic, dict[str, Any]]:
        """The diagnostic for ``finding``, reused when nothing it depends on changed."""
        related_lines = tuple(
            (
                other.line(r.range.start.line),
                other.line(r.range.end.line),
            )
            if (other := (lines if r.path == finding.path else self._lines(r.path, lines_cache)))
            is not None
            else None
            for r in finding.related
        )
        start, end = finding.range.start.line, finding.range.end.line
        here: tuple[Any, ...] = (lines.line(start), lines.line(end), related_lines)
        # A finding the engine kept from the last analysis (tfguard.incremental) is the same
        # object: found without building the key below.
        known = self._now.by_finding.get(id(finding)) or self._then.by_finding.get(id(finding))
        if known is not None and known[0] is finding and known[1] == here:
            self._now.by_finding[id(finding)] = known
            self._now.by_key[known[3]] = known[2]
            return known[2]
        key = (
            finding.rule_id,
            finding.severity,
            finding.message,
            finding.path,
            finding.range,
            finding.related,
            finding.scope_lines,
            json.dumps(dict(finding.data), sort_keys=True, default=str),
            *here,
        )
        cached = self._now.by_key.get(key) or self._then.by_key.get(key)
        if cached is None:
            diagnostic = finding_to_diagnostic(
                finding,
                lines,
                self._conversion.encoding,
                severity_map=self._conversion.severity_map,
                doc_url=self._doc_url(finding.rule_id),
                uri_for=self._uri_for,
                lines_for=lambda other: self._lines(other, lines_cache),
            )
            cached = (diagnostic, self._json.unstructure(diagnostic))
        self._now.by_key[key] = cached
        self._now.by_finding[id(finding)] = (finding, here, cached, key)
        return cached

    def _doc_url(self, rule_id: str) -> str | None:
        if rule_id not in self._doc_urls:
            self._doc_urls[rule_id] = doc_url_of(rule_id)
        return self._doc_urls[rule_id]

    def _lines(self, path: str, cache: dict[str, Lines | None]) -> Lines | None:
        if path in cache:
            return cache[path]
        applied = self._applied.get(path)
        lines: Lines | None
        if applied is not None:
            lines = Lines.of(applied[0])
        else:
            try:
                with open(path, encoding="utf-8", errors="replace", newline="") as handle:
                    lines = Lines.of(handle.read())
            except OSError:
                lines = None
        cache[path] = lines
        return lines


CONVERTED_MODULES = 256  # modules whose last conversions are kept

Converted = tuple[types.Diagnostic, dict[str, Any]]


@dataclass
class _Conversions:
    """The conversions of one analysis: by what they depend on, and by finding (which keeps
    the finding, so that a recycled ``id`` never matches)."""

    by_key: dict[tuple[Any, ...], Converted] = field(default_factory=dict)
    by_finding: dict[int, tuple[Finding, tuple[Any, ...], Converted, tuple[Any, ...]]] = field(
        default_factory=dict
    )


def _too_many(path: str, findings: Sequence[Finding]) -> Finding:
    """The notice that stands for the findings of ``path`` past the first ones shown."""
    hidden = len(findings) - MAX_DIAGNOSTICS_PER_FILE
    return Finding(
        TOO_MANY_RULE_ID,
        Severity.LOW,  # shown as information
        f"{len(findings):,} findings in this file: the {hidden:,} after line "
        f"{findings[MAX_DIAGNOSTICS_PER_FILE - 1].range.start.line + 1} are not shown in the "
        "editor (tfguard scan reports them all)",
        path,
        Range.of(0, 0, 0, 0),
    )


def _file_uri(path: str) -> str:
    from pygls.uris import from_fs_path

    uri = from_fs_path(path)
    return uri if uri is not None else "file://" + path
