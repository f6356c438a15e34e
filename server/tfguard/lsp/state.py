"""The server's state on the event loop: open documents, analysis results, what was published.

Flow: a buffer change records the new text with the engine host right away and, after the
per-document debounce, asks the worker to analyse the document's module. The outcome comes
back to the loop, where it is dropped if any open document of the module has moved on (a
newer analysis is already queued), and otherwise stored and published: pushed with the
document version, or answered to pull requests.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from tfguard.engine import ModuleResult, is_terraform_file
from tfguard.findings import Finding
from tfguard.lsp.analysis import AnalysisOutcome, Conversion, EngineHost
from tfguard.lsp.heap import HeapKeeper
from tfguard.lsp.scheduler import Debouncer, Lane, SerialWorker
from tfguard.lsp.settings import LspSettings
from tfguard.lsp.workspace_scan import ScanSummary, WorkspaceScanner, in_workspace
from tfguard.suppress import Suppression

if TYPE_CHECKING:
    from tfguard.lsp.server import TfguardServer

log = logging.getLogger(__name__)

CONFIG_FILE = ".tfguard.hcl"


@dataclass(frozen=True)
class ClientFeatures:
    """What the client told us it can do, decided once at ``initialize``."""

    pull: bool = False
    diagnostic_refresh: bool = False
    configuration: bool = False
    watched_files_registration: bool = False
    configuration_registration: bool = False
    progress: bool = False
    show_document: bool = False
    code_action_resolve: bool = False
    document_changes: bool = False
    create_files: bool = False
    markdown_hover: bool = True

    @classmethod
    def of(cls, caps: types.ClientCapabilities) -> ClientFeatures:
        text = caps.text_document
        workspace = caps.workspace
        window = caps.window
        code_action = text.code_action if text else None
        resolve = code_action.resolve_support if code_action else None
        literals = bool(code_action and code_action.code_action_literal_support)
        workspace_edit = workspace.workspace_edit if workspace else None
        operations = (workspace_edit.resource_operations if workspace_edit else None) or ()
        hover_formats = text.hover.content_format if text and text.hover else None
        return cls(
            pull=bool(text and text.diagnostic is not None),
            diagnostic_refresh=bool(
                workspace and workspace.diagnostics and workspace.diagnostics.refresh_support
            ),
            configuration=bool(workspace and workspace.configuration),
            watched_files_registration=bool(
                workspace
                and workspace.did_change_watched_files
                and workspace.did_change_watched_files.dynamic_registration
            ),
            configuration_registration=bool(
                workspace
                and workspace.did_change_configuration
                and workspace.did_change_configuration.dynamic_registration
            ),
            progress=bool(window and window.work_done_progress),
            show_document=bool(window and window.show_document and window.show_document.support),
            # Lazy edits only for clients that take CodeAction literals and resolve their edit.
            code_action_resolve=literals and bool(resolve and "edit" in resolve.properties),
            document_changes=bool(workspace_edit and workspace_edit.document_changes),
            create_files=types.ResourceOperationKind.Create in operations,
            markdown_hover=hover_formats is None or types.MarkupKind.Markdown in hover_formats,
        )


@dataclass(frozen=True)
class FileReport:
    path: str
    version: int | None
    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...]
    diagnostics: tuple[types.Diagnostic, ...]
    payload: tuple[dict[str, Any], ...]
    result_id: str
    result: ModuleResult | None


def _forward_to(
    waiting: asyncio.Future[AnalysisOutcome | None],
) -> Callable[[asyncio.Future[AnalysisOutcome | None]], None]:
    def forward(done: asyncio.Future[AnalysisOutcome | None]) -> None:
        if not waiting.done():
            waiting.set_result(None if done.cancelled() else done.result())

    return forward


def path_of(uri: str) -> str | None:
    """The absolute file path of a ``file:`` URI, ``None`` for any other scheme."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return os.path.abspath(path) if path else None


class ServerState:
    def __init__(self, server: TfguardServer) -> None:
        self.server = server
        self.host = EngineHost(uri_for=self.uri_for)
        self.heap = HeapKeeper()
        self.worker = SerialWorker(
            before_each=self.host.apply_pending, when_idle=self.heap.when_idle
        )
        self.features = ClientFeatures()
        self.settings = LspSettings()
        self.generation = 0
        self.encoding = types.PositionEncodingKind.Utf16.value
        self.roots: list[str] = []
        self.reports: dict[str, FileReport] = {}
        self.module_files: dict[str, set[str]] = {}
        self.open_uris: dict[str, str] = {}  # path -> the URI the client uses
        # The last analysis applied, per module directory with open documents (quick fixes).
        self.outcomes: dict[str, AnalysisOutcome] = {}
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
            progress=server.work_done_progress,
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

    def initialize(self, params: types.InitializeParams, encoding: str) -> None:
        self.features = ClientFeatures.of(params.capabilities)
        self.encoding = encoding
        roots: list[str] = []
        for folder in params.workspace_folders or []:
            if (path := path_of(folder.uri)) is not None:
                roots.append(path)
        if not roots:
            root_uri = params.root_uri or (
                from_fs_path(params.root_path) if params.root_path else None
            )
            if root_uri and (path := path_of(root_uri)) is not None:
                roots.append(path)
        self.roots = roots
        self._configure_host()

    def folders_changed(
        self, added: Iterable[types.WorkspaceFolder], removed: Iterable[types.WorkspaceFolder]
    ) -> None:
        gone = {p for f in removed if (p := path_of(f.uri)) is not None}
        roots = [r for r in self.roots if r not in gone]
        roots += [p for f in added if (p := path_of(f.uri)) is not None and p not in roots]
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
        uri = self.open_uris.get(path)
        if uri is not None:
            return uri
        return from_fs_path(path) or ("file://" + path)

    def doc_version(self, path: str) -> int | None:
        uri = self.open_uris.get(path)
        if uri is None:
            return None
        return self.server.workspace.get_text_document(uri).version

    def tracked_path(self, uri: str) -> str | None:
        path = path_of(uri)
        if path is None or not is_terraform_file(path):
            return None
        return path

    def did_open(self, uri: str) -> None:
        path = self.tracked_path(uri)
        if path is None:
            return
        self.open_uris[path] = uri
        document = self.server.workspace.get_text_document(uri)
        self.host.set_overlay(path, document.source, document.version or 0)
        self.debouncer.cancel(path)
        self.analyze(os.path.dirname(path), Lane.INTERACTIVE)

    def did_change(self, uri: str) -> None:
        path = self.tracked_path(uri)
        if path is None or path not in self.open_uris:
            return
        document = self.server.workspace.get_text_document(uri)
        self.host.set_overlay(path, document.source, document.version or 0)
        directory = os.path.dirname(path)
        self.debouncer.schedule(
            path,
            self.settings.debounce_ms,
            lambda: self._on_debounced(directory),
        )

    def _on_debounced(self, directory: str) -> None:
        self.analyze(directory, Lane.INTERACTIVE)

    def did_close(self, uri: str) -> None:
        path = self.tracked_path(uri)
        if path is None or self.open_uris.pop(path, None) is None:
            return
        self.debouncer.cancel(path)
        self.host.drop_overlay(path)
        directory = os.path.dirname(path)
        covered = self.scan_covers(path)
        if not covered:
            self.reports.pop(path, None)
            if not self.features.pull:
                self._publish(path, uri, [], None)
        if any(os.path.dirname(p) == directory for p in self.open_uris):
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
        open_modules = {os.path.dirname(p) for p in self.open_uris}
        for directory in sorted(modules):
            if directory in open_modules:
                self.analyze(directory, Lane.INTERACTIVE)
            elif self.scan_covers(os.path.join(directory, "main.tf")):
                self.scanner.modules.add(directory)
                self.analyze(directory, Lane.BACKGROUND)

    def reanalyze_all(self) -> None:
        open_modules = sorted({os.path.dirname(p) for p in self.open_uris})
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
        for path in self.open_uris:
            if os.path.dirname(path) == outcome.directory and outcome.overlay_versions.get(
                path
            ) != self.doc_version(path):
                return True
        return any(path not in self.open_uris for path in outcome.overlay_versions)

    def _apply(self, outcome: AnalysisOutcome) -> None:
        if self._is_stale(outcome):
            log.debug("dropped a superseded analysis of %s", outcome.directory)
            return
        if outcome.config_error and outcome.config_error not in self._config_errors_shown:
            self._config_errors_shown.add(outcome.config_error)
            self.server.show_message(
                f"tfguard: {outcome.config_error} (using the default configuration)",
                types.MessageType.Warning,
            )
        directory = outcome.directory
        if any(os.path.dirname(p) == directory for p in self.open_uris):
            self.outcomes[directory] = outcome
        else:
            self.outcomes.pop(directory, None)
        previous_files = self.module_files.get(directory, set())
        self.module_files[directory] = set(outcome.files)
        changed_elsewhere = False
        for path, file in outcome.files.items():
            previous = self.reports.get(path)
            is_open = path in self.open_uris
            if not is_open and not self.scan_covers(path):
                if previous is not None:
                    self.reports.pop(path)
                    if previous.diagnostics and not self.features.pull:
                        self._publish(path, self.uri_for(path), [], None)
                continue
            same = previous is not None and previous.payload == file.payload
            report = FileReport(
                path=path,
                version=file.version,
                findings=file.findings,
                suppressions=file.suppressions,
                diagnostics=file.diagnostics,
                payload=file.payload,
                result_id=previous.result_id if same and previous else self._next_result_id(),
                result=outcome.result,
            )
            self.reports[path] = report
            version_moved = previous is None or previous.version != file.version
            if self.features.pull:
                if not same and not version_moved:
                    changed_elsewhere = True
            elif (not same or (is_open and version_moved)) and (
                is_open or file.diagnostics or previous is not None
            ):
                self._publish(path, self.uri_for(path), list(file.payload), file.version)
        for path in previous_files - set(outcome.files):
            gone = self.reports.pop(path, None)
            if gone is not None and gone.diagnostics:
                if self.features.pull:
                    changed_elsewhere = True
                else:
                    self._publish(path, self.uri_for(path), [], None)
        if changed_elsewhere:
            self._request_refresh()

    def _next_result_id(self) -> str:
        return str(next(self._result_ids))

    def _publish(
        self, path: str, uri: str, diagnostics: list[dict[str, Any]], version: int | None
    ) -> None:
        params: dict[str, Any] = {"uri": uri, "diagnostics": diagnostics}
        if version is not None:
            params["version"] = version
        self.server.notify_json(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

    def _request_refresh(self) -> None:
        if not self.features.diagnostic_refresh or self._refresh_pending:
            return
        self._refresh_pending = True

        def send() -> None:
            self._refresh_pending = False
            self.server.workspace_diagnostic_refresh(None)

        self.loop.call_soon(send)

    def _forget_closed_files(self, keep_scanned: bool = False) -> None:
        """Drop (and clear in the client) the findings of closed files outside the scan."""
        for path in [p for p in self.reports if p not in self.open_uris]:
            if keep_scanned and self.scan_covers(path):
                continue
            report = self.reports.pop(path)
            if report.diagnostics and not self.features.pull:
                self._publish(path, self.uri_for(path), [], None)
        if self.features.pull:
            self._request_refresh()

    # -- pull diagnostics -------------------------------------------------------------------

    async def current_report(self, path: str) -> FileReport | None:
        """The report for the document's current version, analysing now if needed."""
        for _ in range(10):
            report = self.reports.get(path)
            version = self.doc_version(path)
            if (
                report is not None
                and report.version == version
                and not self.debouncer.is_pending(path)
            ):
                return report
            self.debouncer.cancel(path)
            outcome = await self.analyze(os.path.dirname(path), Lane.INTERACTIVE)
            if outcome is None or path not in outcome.files:
                return self.reports.get(path)
        return self.reports.get(path)

    def is_current(self, outcome: AnalysisOutcome) -> bool:
        """Whether ``outcome`` saw every open document of its module at its current version."""
        if self._is_stale(outcome):
            return False
        return not any(
            self.debouncer.is_pending(p)
            for p in self.open_uris
            if os.path.dirname(p) == outcome.directory
        )

    async def current_outcome(self, directory: str) -> AnalysisOutcome | None:
        """The analysis of ``directory`` for the current texts of its open documents,
        analysing now if needed (``None`` if documents keep changing or analysis fails)."""
        for _ in range(10):
            outcome = self.outcomes.get(directory)
            if outcome is not None and self.is_current(outcome):
                return outcome
            for path in self.open_uris:
                if os.path.dirname(path) == directory:
                    self.debouncer.cancel(path)
            if await self.analyze(directory, Lane.INTERACTIVE) is None:
                return None
        return None

    async def pull_document(self, uri: str, previous_result_id: str | None) -> dict[str, Any]:
        """A ``DocumentDiagnosticReport`` as JSON (diagnostics are kept converted)."""
        path = self.tracked_path(uri)
        report = await self.current_report(path) if path is not None else None
        if report is None:
            return {"kind": types.DocumentDiagnosticReportKind.Full.value, "items": []}
        if previous_result_id is not None and previous_result_id == report.result_id:
            return {
                "kind": types.DocumentDiagnosticReportKind.Unchanged.value,
                "resultId": report.result_id,
            }
        return {
            "kind": types.DocumentDiagnosticReportKind.Full.value,
            "resultId": report.result_id,
            "items": list(report.payload),
        }

    def pull_workspace(self, previous: Iterable[types.PreviousResultId]) -> dict[str, Any]:
        """A ``WorkspaceDiagnosticReport`` as JSON: the closed files of the workspace scan."""
        known = {item.uri: item.value for item in previous}
        items: list[dict[str, Any]] = []
        reported: set[str] = set()
        for path, report in sorted(self.reports.items()):
            if path in self.open_uris:
                continue  # open documents are pulled one by one
            uri = self.uri_for(path)
            reported.add(uri)
            item: dict[str, Any] = {"uri": uri, "version": None, "resultId": report.result_id}
            if known.get(uri) == report.result_id:
                item["kind"] = types.DocumentDiagnosticReportKind.Unchanged.value
            else:
                item["kind"] = types.DocumentDiagnosticReportKind.Full.value
                item["items"] = list(report.payload)
            items.append(item)
        open_uris = set(self.open_uris.values())
        for uri in known:
            if uri not in reported and uri not in open_uris:
                items.append(
                    {
                        "uri": uri,
                        "version": None,
                        "kind": types.DocumentDiagnosticReportKind.Full.value,
                        "items": [],
                    }
                )
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
        first = [os.path.dirname(p) for p in self.open_uris]
        return self.scanner.start(self.roots, first)
