"""The language server's session: open documents, analyses, what was reported. Plain state.

It knows nothing of the protocol: the handlers (:mod:`tfguard.lsp.handlers`) turn messages
into calls here, and what the session tells the editor goes out through a :class:`Client`
(in the server, :class:`tfguard.lsp.outbound.Outbound`; in tests, a recorder). It does not
import pygls or lsprotocol.

Flow: a buffer change records the new text with the engine host right away and, after the
per-document debounce, asks the worker to analyse the document's module. The outcome comes
back to the loop, where it is dropped if any open document of the module has moved on (a
newer analysis is already queued), and otherwise stored and reported: pushed with the
document version, or kept for pull requests.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from tfguard.config import CONFIG_NAME
from tfguard.engine import ModuleResult, is_terraform_file
from tfguard.findings import Finding
from tfguard.lsp.actions import DocumentView
from tfguard.lsp.analysis import AnalysisOutcome, Conversion, EngineHost, FileOutcome
from tfguard.lsp.capabilities import ClientFeatures
from tfguard.lsp.convert import UTF16
from tfguard.lsp.heap import HeapKeeper
from tfguard.lsp.scheduler import Debouncer, Lane, SerialWorker
from tfguard.lsp.settings import LspSettings
from tfguard.lsp.uris import path_of, uri_of
from tfguard.lsp.workspace_scan import Progress, ScanSummary, WorkspaceScanner, in_workspace
from tfguard.suppress import Suppression

log = logging.getLogger(__name__)

CONFIG_FILE = ".tfguard.hcl"
CALLERS_DELAY_MS = 250  # after the last analysis of a module, before its callers'
FULL = "full"  # DocumentDiagnosticReportKind
UNCHANGED = "unchanged"


class Client(Progress, Protocol):
    """What the session tells the editor."""

    def publish_diagnostics(
        self, uri: str, diagnostics: list[dict[str, Any]], version: int | None
    ) -> None: ...

    def show_warning(self, message: str) -> None: ...

    def refresh_diagnostics(self) -> None:
        """Ask a pull client to pull the diagnostics again."""
        ...


def is_config_file(path: str) -> bool:
    """A .tfguard.hcl: its errors are shown on it whether or not it is open or scanned."""
    return os.path.basename(path) == CONFIG_NAME


@dataclass(frozen=True)
class FileReport:
    """What was last reported for one file, and the analysis it came from."""

    file: FileOutcome
    result_id: str
    result: ModuleResult

    @property
    def path(self) -> str:
        return self.file.path

    @property
    def version(self) -> int | None:
        return self.file.version

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.file.findings

    @property
    def suppressions(self) -> tuple[Suppression, ...]:
        return self.file.suppressions

    @property
    def payload(self) -> tuple[dict[str, Any], ...]:
        return self.file.payload

    @property
    def has_diagnostics(self) -> bool:
        return bool(self.file.diagnostics)

    def finding_for(self, code: object, range_: object) -> Finding | None:
        """The finding reported as the diagnostic with this code and range."""
        for index, known in enumerate(self.file.diagnostics):
            if known.code == code and known.range == range_:
                return self.file.findings[index]
        return None


def _forward_to(
    waiting: asyncio.Future[AnalysisOutcome | None],
) -> Callable[[asyncio.Future[AnalysisOutcome | None]], None]:
    def forward(done: asyncio.Future[AnalysisOutcome | None]) -> None:
        if not waiting.done():
            waiting.set_result(None if done.cancelled() else done.result())

    return forward


class Session:
    def __init__(self, client: Client) -> None:
        self.client = client
        self.host = EngineHost(uri_for=self.uri_for)
        self.heap = HeapKeeper()
        self.worker = SerialWorker(
            before_each=self.host.apply_pending, when_idle=self.heap.when_idle
        )
        self.features = ClientFeatures()
        self.settings = LspSettings()
        self.generation = 0
        self.encoding = UTF16
        self.roots: list[str] = []
        self.documents: dict[str, DocumentView] = {}  # path -> the open document
        self.reports: dict[str, FileReport] = {}
        self.module_files: dict[str, set[str]] = {}
        # The last analysis applied, per module directory with open documents (quick fixes).
        self.outcomes: dict[str, AnalysisOutcome] = {}
        # Module directory -> the analysed modules that call it (their findings follow it).
        self.callers: dict[str, set[str]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._debouncer: Debouncer | None = None
        self._inflight: dict[str, concurrent.futures.Future[AnalysisOutcome]] = {}
        self._processed: dict[str, asyncio.Future[AnalysisOutcome | None]] = {}
        self._result_ids = itertools.count(1)
        self._config_errors_shown: set[str] = set()
        self._refresh_pending = False
        self._ready = False
        self._deferred: dict[str, tuple[Lane, asyncio.Future[AnalysisOutcome | None]]] = {}
        self.scanner = WorkspaceScanner(
            discover=self._discover,
            analyze=self.analyze,
            cancel_waiting=self._cancel_background,
            progress=client,
            progress_enabled=lambda: self.features.progress,
        )

    # -- setup ------------------------------------------------------------------------------

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        return self._loop

    @property
    def debouncer(self) -> Debouncer:
        if self._debouncer is None:
            self._debouncer = Debouncer(self.loop)
        return self._debouncer

    def initialize(self, features: ClientFeatures, encoding: str, roots: Iterable[str]) -> None:
        self.features = features
        self.encoding = encoding
        self.roots = list(dict.fromkeys(roots))
        self._configure_host()

    def folders_changed(self, added: Iterable[str], removed: Iterable[str]) -> None:
        """Workspace folders (as paths) added and removed."""
        gone = set(removed)
        roots = [r for r in self.roots if r not in gone]
        roots += [p for p in added if p not in roots]
        self.roots = roots
        if gone:
            self.scanner.modules = {
                m for m in self.scanner.modules if in_workspace(os.path.join(m, "x.tf"), roots)
            }
            self._forget_closed_files(keep_scanned=True)
        self.start_scan()

    def apply_settings(self, settings: LspSettings) -> None:
        """Take new settings; re-analyse what they change."""
        old = self.settings
        self.settings = settings
        if settings.engine_key() != old.engine_key() or settings.severity_map != old.severity_map:
            self._configure_host()
            self.reanalyze_all()
        if settings.workspace_scan and not old.workspace_scan:
            self.start_scan()
        elif old.workspace_scan and not settings.workspace_scan:
            self.scanner.cancel()
            self._forget_closed_files()

    def _configure_host(self) -> None:
        from tfguard.config import Settings

        self.generation += 1
        self.host.configure(
            Settings(
                minimum_severity=self.settings.minimum_severity,
                disabled_rules=self.settings.disabled_rules,
                max_file_bytes=self.settings.max_file_kib * 1024,
            ),
            Conversion(encoding=self.encoding, severity_map=dict(self.settings.severity_map)),
            self.generation,
        )

    def shutdown(self) -> None:
        self.scanner.cancel()
        if self._debouncer is not None:
            self._debouncer.cancel_all()
        self.worker.stop()

    # -- documents --------------------------------------------------------------------------

    def uri_for(self, path: str) -> str:
        document = self.documents.get(path)
        return document.uri if document is not None else uri_of(path)

    def doc_version(self, path: str) -> int | None:
        document = self.documents.get(path)
        return document.version if document is not None else None

    def tracked_path(self, uri: str) -> str | None:
        path = path_of(uri)
        if path is None or not is_terraform_file(path):
            return None
        return path

    def document_view(self, uri: str) -> DocumentView | None:
        """The open document ``uri`` names, as the session holds it now."""
        path = self.tracked_path(uri)
        return self.documents.get(path) if path is not None else None

    def open_in(self, directory: str) -> list[str]:
        """The open documents of the module in ``directory``."""
        return [p for p in self.documents if os.path.dirname(p) == directory]

    def did_open(self, uri: str, text: str, version: int | None) -> None:
        path = self.tracked_path(uri)
        if path is None:
            return
        self.documents[path] = DocumentView(uri, path, text, version)
        self.host.set_overlay(path, text, version or 0)
        self.debouncer.cancel(path)
        self.analyze(os.path.dirname(path), Lane.INTERACTIVE)

    def did_change(self, uri: str, text: str, version: int | None) -> None:
        path = self.tracked_path(uri)
        if path is None or (known := self.documents.get(path)) is None:
            return
        self.documents[path] = DocumentView(known.uri, path, text, version)
        self.host.set_overlay(path, text, version or 0)
        directory = os.path.dirname(path)
        self.debouncer.schedule(
            path,
            self.settings.debounce_ms,
            lambda: self._on_debounced(directory),
        )

    def _on_debounced(self, directory: str) -> None:
        # The modules that call this one are analysed once typing pauses: while keys come
        # in quick succession, each keystroke's analysis would otherwise wait for theirs.
        self.analyze(directory, Lane.INTERACTIVE).add_done_callback(
            lambda _: self.debouncer.schedule(
                ("callers", directory), CALLERS_DELAY_MS, lambda: self._analyze_callers(directory)
            )
        )

    def _analyze_callers(self, directory: str) -> None:
        """Re-analyse the modules that call ``directory`` and are open or scanned: what it
        finds with their arguments is reported in them (see tfguard.calls)."""
        for caller in sorted(self.callers.get(directory, ())):
            if caller == directory:
                continue
            if self.open_in(caller):
                self.analyze(caller, Lane.INTERACTIVE)
            elif self.scan_covers(os.path.join(caller, "main.tf")):
                self.analyze(caller, Lane.BACKGROUND)

    def did_close(self, uri: str) -> None:
        path = self.tracked_path(uri)
        if path is None or (closed := self.documents.pop(path, None)) is None:
            return
        self.debouncer.cancel(path)
        self.host.drop_overlay(path)
        directory = os.path.dirname(path)
        covered = self.scan_covers(path)
        if not covered:
            self.reports.pop(path, None)
            if not self.features.pull:
                self._publish(closed.uri, [], None)
        self._analyze_callers(directory)  # the text on disk counts again
        if self.open_in(directory):
            self.analyze(directory, Lane.INTERACTIVE)
            return
        self.outcomes.pop(directory, None)
        if covered:
            self.analyze(directory, Lane.BACKGROUND)

    def did_save(self, uri: str) -> None:
        path = path_of(uri)
        if path is not None and os.path.basename(path) == CONFIG_FILE:
            self.files_changed([path])

    def files_changed(self, paths: Iterable[str]) -> None:
        """Files created, changed or deleted on disk (watched files, or a saved config)."""
        config_changed = False
        modules: set[str] = set()
        for path in paths:
            if os.path.basename(path) == CONFIG_FILE:
                self.host.invalidate(path)
                config_changed = True
            elif is_terraform_file(path):
                self.host.invalidate(path)
                modules.add(os.path.dirname(path))
        if config_changed:
            self._config_errors_shown.clear()
            self.reanalyze_all()
            return
        open_modules = {os.path.dirname(p) for p in self.documents}
        for directory in sorted(modules):
            if directory in open_modules:
                self.analyze(directory, Lane.INTERACTIVE)
            elif self.scan_covers(os.path.join(directory, "main.tf")):
                self.scanner.modules.add(directory)
                self.analyze(directory, Lane.BACKGROUND)
            self._analyze_callers(directory)

    def reanalyze_all(self) -> None:
        open_modules = sorted({os.path.dirname(p) for p in self.documents})
        for directory in open_modules:
            self.analyze(directory, Lane.INTERACTIVE)
        if self.settings.workspace_scan:
            for directory in sorted(self.scanner.modules - set(open_modules)):
                self.analyze(directory, Lane.BACKGROUND)

    def scan_covers(self, path: str) -> bool:
        return self.settings.workspace_scan and in_workspace(path, self.roots)

    # -- analysis ---------------------------------------------------------------------------

    def mark_ready(self) -> None:
        """Settings are known (after ``workspace/configuration``): run what waited for them."""
        if self._ready:
            return
        self._ready = True
        deferred, self._deferred = self._deferred, {}
        for directory, (lane, waiting) in deferred.items():
            self.analyze(directory, lane).add_done_callback(_forward_to(waiting))

    def analyze(self, directory: str, lane: Lane) -> asyncio.Future[AnalysisOutcome | None]:
        """Queue (or join) the analysis of ``directory``; resolves once its outcome is applied.

        Until the settings are known, requests are held (no diagnostics computed with settings
        that are about to change)."""
        if not self._ready:
            held = self._deferred.get(directory)
            if held is None:
                held = (lane, self.loop.create_future())
            elif lane < held[0]:
                held = (lane, held[1])
            self._deferred[directory] = held
            return asyncio.shield(held[1])
        future = self.worker.submit(
            ("analyze", directory), lambda: self.host.analyze(directory), lane
        )
        if self._inflight.get(directory) is not future:
            processed: asyncio.Future[AnalysisOutcome | None] = self.loop.create_future()
            self._inflight[directory] = future
            self._processed[directory] = processed
            future.add_done_callback(
                lambda f: self.loop.call_soon_threadsafe(self._on_done, directory, f, processed)
            )
        # Shielded: a cancelled waiter (a pull request, the scan) must not cancel the others.
        return asyncio.shield(self._processed[directory])

    def _on_done(
        self,
        directory: str,
        future: concurrent.futures.Future[AnalysisOutcome],
        processed: asyncio.Future[AnalysisOutcome | None],
    ) -> None:
        if self._inflight.get(directory) is future:
            del self._inflight[directory]
            del self._processed[directory]
        outcome: AnalysisOutcome | None = None
        if future.cancelled():
            pass
        elif (error := future.exception()) is not None:
            log.error("analysis of %s failed: %s", directory, error, exc_info=error)
        else:
            outcome = future.result()
            try:
                self._apply(outcome)
            except Exception:  # a bug here must not take the server down
                log.exception("could not publish the results for %s", directory)
        if not processed.done():
            processed.set_result(outcome)

    def _is_stale(self, outcome: AnalysisOutcome) -> bool:
        if outcome.generation != self.generation:
            return True
        for path, document in self.documents.items():
            if (
                os.path.dirname(path) == outcome.directory
                and outcome.overlay_versions.get(path) != document.version
            ):
                return True
        return any(path not in self.documents for path in outcome.overlay_versions)

    def _apply(self, outcome: AnalysisOutcome) -> None:
        if self._is_stale(outcome):
            log.debug("dropped a superseded analysis of %s", outcome.directory)
            return
        if outcome.config_error and outcome.config_error not in self._config_errors_shown:
            self._config_errors_shown.add(outcome.config_error)
            self.client.show_warning(
                f"tfguard: {outcome.config_error} (using the default configuration)"
            )
        directory = outcome.directory
        if self.open_in(directory):
            self.outcomes[directory] = outcome
        else:
            self.outcomes.pop(directory, None)
        for called_by in self.callers.values():
            called_by.discard(directory)
        for called in outcome.result.dependencies:
            self.callers.setdefault(called, set()).add(directory)
        previous_files = self.module_files.get(directory, set())
        self.module_files[directory] = set(outcome.files)
        changed_elsewhere = False
        for path, file in outcome.files.items():
            previous = self.reports.get(path)
            is_open = path in self.documents
            if not is_open and not self.scan_covers(path) and not is_config_file(path):
                if previous is not None:
                    self.reports.pop(path)
                    if previous.has_diagnostics and not self.features.pull:
                        self._publish(self.uri_for(path), [], None)
                continue
            same = previous is not None and previous.payload == file.payload
            self.reports[path] = FileReport(
                file=file,
                result_id=previous.result_id if same and previous else self._next_result_id(),
                result=outcome.result,
            )
            version_moved = previous is None or previous.version != file.version
            if self.features.pull:
                if not same and not version_moved:
                    changed_elsewhere = True
            elif (not same or (is_open and version_moved)) and (
                is_open or file.diagnostics or previous is not None
            ):
                self._publish(self.uri_for(path), list(file.payload), file.version)
        for path in previous_files - set(outcome.files):
            gone = self.reports.pop(path, None)
            if gone is not None and gone.has_diagnostics:
                if self.features.pull:
                    changed_elsewhere = True
                else:
                    self._publish(self.uri_for(path), [], None)
        if changed_elsewhere:
            self._request_refresh()

    def _next_result_id(self) -> str:
        return str(next(self._result_ids))

    def _publish(self, uri: str, diagnostics: list[dict[str, Any]], version: int | None) -> None:
        self.client.publish_diagnostics(uri, diagnostics, version)

    def _request_refresh(self) -> None:
        if not self.features.diagnostic_refresh or self._refresh_pending:
            return
        self._refresh_pending = True

        def send() -> None:
            self._refresh_pending = False
            self.client.refresh_diagnostics()

        self.loop.call_soon(send)

    def _forget_closed_files(self, keep_scanned: bool = False) -> None:
        """Drop (and clear in the client) the findings of closed files outside the scan."""
        for path in [p for p in self.reports if p not in self.documents]:
            if keep_scanned and self.scan_covers(path):
                continue
            report = self.reports.pop(path)
            if report.has_diagnostics and not self.features.pull:
                self._publish(self.uri_for(path), [], None)
        if self.features.pull:
            self._request_refresh()

    # -- what requests are answered from ----------------------------------------------------

    def is_current(self, outcome: AnalysisOutcome) -> bool:
        """Whether ``outcome`` saw every open document of its module at its current version."""
        if self._is_stale(outcome):
            return False
        return not any(self.debouncer.is_pending(p) for p in self.open_in(outcome.directory))

    def current_report_of(self, view: DocumentView) -> FileReport | None:
        """The report of the open document ``view``, if it is of the document's version."""
        report = self.reports.get(view.path)
        return report if report is not None and report.version == view.version else None

    def fix_basis(self, view: DocumentView) -> AnalysisOutcome | None:
        """The analysis quick fixes for ``view`` can be computed from: the one behind its
        current report, while it still is current for every open document of the module."""
        report = self.current_report_of(view)
        outcome = self.outcomes.get(os.path.dirname(view.path))
        if report is None or outcome is None or outcome.result is not report.result:
            return None
        return outcome if self.is_current(outcome) else None

    def outcome_if_current(self, directory: str) -> AnalysisOutcome | None:
        """The last analysis of ``directory`` if it is of the current texts (no analysing)."""
        outcome = self.outcomes.get(directory)
        return outcome if outcome is not None and self.is_current(outcome) else None

    async def current_report(self, path: str) -> FileReport | None:
        """The report for the document's current version, analysing now if needed."""
        for _ in range(10):
            report = self.reports.get(path)
            if (
                report is not None
                and report.version == self.doc_version(path)
                and not self.debouncer.is_pending(path)
            ):
                return report
            self.debouncer.cancel(path)
            outcome = await self.analyze(os.path.dirname(path), Lane.INTERACTIVE)
            if outcome is None or path not in outcome.files:
                return self.reports.get(path)
        return self.reports.get(path)

    async def current_outcome(self, directory: str) -> AnalysisOutcome | None:
        """The analysis of ``directory`` for the current texts of its open documents,
        analysing now if needed (``None`` if documents keep changing or analysis fails)."""
        for _ in range(10):
            if (outcome := self.outcome_if_current(directory)) is not None:
                return outcome
            for path in self.open_in(directory):
                self.debouncer.cancel(path)
            if await self.analyze(directory, Lane.INTERACTIVE) is None:
                return None
        return None

    # -- pull diagnostics -------------------------------------------------------------------

    async def pull_document(self, uri: str, previous_result_id: str | None) -> dict[str, Any]:
        """A ``DocumentDiagnosticReport`` as JSON (diagnostics are kept converted)."""
        path = self.tracked_path(uri)
        report = await self.current_report(path) if path is not None else None
        if report is None:
            return {"kind": FULL, "items": []}
        if previous_result_id is not None and previous_result_id == report.result_id:
            return {"kind": UNCHANGED, "resultId": report.result_id}
        return {"kind": FULL, "resultId": report.result_id, "items": list(report.payload)}

    def pull_workspace(self, previous: Mapping[str, str]) -> dict[str, Any]:
        """A ``WorkspaceDiagnosticReport`` as JSON: the closed files of the workspace scan.
        ``previous`` maps a URI to the result id the client holds for it."""
        items: list[dict[str, Any]] = []
        reported: set[str] = set()
        for path, report in sorted(self.reports.items()):
            if path in self.documents:
                continue  # open documents are pulled one by one
            uri = self.uri_for(path)
            reported.add(uri)
            item: dict[str, Any] = {"uri": uri, "version": None, "resultId": report.result_id}
            if previous.get(uri) == report.result_id:
                item["kind"] = UNCHANGED
            else:
                item["kind"] = FULL
                item["items"] = list(report.payload)
            items.append(item)
        open_uris = {document.uri for document in self.documents.values()}
        for uri in previous:
            if uri not in reported and uri not in open_uris:
                items.append({"uri": uri, "version": None, "kind": FULL, "items": []})
        return {"items": items}

    # -- workspace scan ---------------------------------------------------------------------

    async def _discover(self, root: str) -> list[str] | None:
        future = self.worker.submit(
            ("discover", root), lambda: self.host.discover(root), Lane.BACKGROUND
        )
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            raise
        except Exception as err:
            log.error("cannot list the modules under %s: %s", root, err)
            return None

    def _cancel_background(self) -> None:
        self.worker.cancel_waiting(lambda key: isinstance(key, tuple) and key[0] == "discover")

    def start_scan(self) -> asyncio.Task[ScanSummary] | None:
        if not self.settings.workspace_scan or not self.roots:
            return None
        first = [os.path.dirname(p) for p in self.documents]
        return self.scanner.start(self.roots, first)
