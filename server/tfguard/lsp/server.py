"""``tfguard lsp``: the language server's protocol plumbing (pygls 2.x).

Every handler here is thin: it converts protocol types and hands over to :class:`ServerState`
(documents, analysis, publishing), :mod:`actions`, :mod:`hover` or :mod:`settings`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from collections.abc import Generator, Sequence
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import JsonRPCProtocol, LanguageServerProtocol, lsp_method

from tfguard import __version__
from tfguard.findings import Finding
from tfguard.fixes import Fix
from tfguard.lsp import actions, logbridge, quickfix
from tfguard.lsp.convert import Lines
from tfguard.lsp.fixing import Fixing
from tfguard.lsp.hover import hover_markdown, markdown_to_plaintext, rule_markdown
from tfguard.lsp.settings import SECTION, parse_settings, section_of
from tfguard.lsp.state import ServerState, path_of
from tfguard.rules import registry

log = logging.getLogger(__name__)

SCAN_COMMAND = "tfguard.scanWorkspace"
CLIENT_REPLY_TIMEOUT = 10.0  # seconds to wait for the client's answer to our requests
WATCHED_GLOBS = (
    "**/*.tf",
    "**/*.tofu",
    "**/*.tfvars",
    "**/*.tf.json",
    "**/*.tofu.json",
    "**/*.tfvars.json",
    "**/.tfguard.hcl",
)


class TfguardProtocol(LanguageServerProtocol):
    """Advertises pull diagnostics only to clients that can pull, so no client gets both."""

    def notify_json(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification whose params are already JSON (diagnostics are converted once,
        off the event loop, and reused while unchanged)."""
        self._send_data({"jsonrpc": JsonRPCProtocol.VERSION, "method": method, "params": params})

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        text = params.capabilities.text_document
        if text is None or text.diagnostic is None:
            result.capabilities.diagnostic_provider = None
        return result


class TfguardServer(LanguageServer):
    def __init__(self, log_handler: logbridge.ClientLogHandler | None = None) -> None:
        super().__init__(
            name="tfguard",
            version=__version__,
            protocol_cls=TfguardProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.log_handler = log_handler
        self.state = ServerState(self)
        self.fixing = Fixing(self.state, self.document_view)
        self._init_settings: object = None
        self._init_problems: list[str] = []
        self._last_settings_problems = ""

    def notify_json(self, method: str, params: dict[str, Any]) -> None:
        protocol = self.protocol
        assert isinstance(protocol, TfguardProtocol)
        protocol.notify_json(method, params)

    def show_message(self, message: str, kind: types.MessageType) -> None:
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    # -- settings ---------------------------------------------------------------------------

    async def load_settings(self, pushed: object = None) -> None:
        """Merge initializationOptions with the client's configuration, validate, apply."""
        raw: object = section_of(self._init_settings)
        update: object = None
        if self.state.features.configuration:
            try:
                values = await asyncio.wait_for(
                    self.workspace_configuration_async(
                        types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
                    ),
                    CLIENT_REPLY_TIMEOUT,
                )
                update = values[0] if values else None
            except Exception as err:
                log.warning("workspace/configuration failed: %s", err)
        elif pushed is not None:
            update = section_of(pushed)
        if isinstance(update, dict) and update:
            # The client's configuration wins key by key; null there means "use the default".
            base = dict(raw) if isinstance(raw, dict) else {}
            base.update(update)
            raw = base
        elif update is not None and not isinstance(update, dict):
            raw = update
        settings, problems = parse_settings(raw, _resolve_rule)
        self.report_settings_problems(problems)
        self.state.apply_settings(settings)
        log.debug("settings: %s", settings)

    def report_settings_problems(self, problems: Sequence[str]) -> None:
        text = "; ".join(problems)
        if text and text != self._last_settings_problems:
            self.show_message(
                f"tfguard: invalid settings ignored (defaults used): {text}",
                types.MessageType.Warning,
            )
        self._last_settings_problems = text

    async def register_dynamic_capabilities(self) -> None:
        registrations: list[types.Registration] = []
        features = self.state.features
        if features.watched_files_registration:
            registrations.append(
                types.Registration(
                    id="tfguard-watched-files",
                    method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCHED_GLOBS]
                    ),
                )
            )
        if features.configuration_registration:
            registrations.append(
                types.Registration(
                    id="tfguard-configuration",
                    method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                    register_options=types.DidChangeConfigurationRegistrationOptions(
                        section=SECTION
                    ),
                )
            )
        if not registrations:
            return
        try:
            await asyncio.wait_for(
                self.client_register_capability_async(
                    types.RegistrationParams(registrations=registrations)
                ),
                CLIENT_REPLY_TIMEOUT,
            )
        except Exception as err:
            log.warning("client/registerCapability failed: %s", err)

    # -- documents for actions and hover ----------------------------------------------------

    def document_view(self, uri: str) -> actions.DocumentView | None:
        path = self.state.tracked_path(uri)
        if path is None or path not in self.state.open_uris:
            return None
        document = self.workspace.get_text_document(uri)
        return actions.DocumentView(uri, path, document.source, document.version)


def _resolve_rule(name: str) -> str | None:
    rule = registry.get(name)
    return rule.id if rule is not None else None


def create_server(log_handler: logbridge.ClientLogHandler | None = None) -> TfguardServer:
    server = TfguardServer(log_handler)
    state = server.state

    @server.feature(types.INITIALIZE)
    def initialize(ls: TfguardServer, params: types.InitializeParams) -> None:
        ls._init_settings = params.initialization_options
        settings, ls._init_problems = parse_settings(params.initialization_options, _resolve_rule)
        state.settings = settings
        state.initialize(params, _encoding_name(ls.workspace.position_encoding))
        # Analysis waits for the settings, normally until `initialized` has fetched them; a
        # client that never sends `initialized` still gets diagnostics after a while.
        asyncio.get_running_loop().call_later(3 * CLIENT_REPLY_TIMEOUT, state.mark_ready)
        if ls.log_handler is not None:
            ls.log_handler.connect(asyncio.get_running_loop(), ls.window_log_message)
            ls.log_handler.set_trace(params.trace)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: TfguardServer, params: types.InitializedParams) -> None:
        if state.features.configuration:
            await ls.load_settings()
        else:
            ls.report_settings_problems(ls._init_problems)
        state.mark_ready()
        await ls.register_dynamic_capabilities()
        state.start_scan()

    @server.feature(types.SET_TRACE)
    def set_trace(ls: TfguardServer, params: types.SetTraceParams) -> None:
        if ls.log_handler is not None:
            ls.log_handler.set_trace(params.value)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: TfguardServer, params: None) -> None:
        state.shutdown()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TfguardServer, params: types.DidOpenTextDocumentParams) -> None:
        state.did_open(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TfguardServer, params: types.DidChangeTextDocumentParams) -> None:
        state.did_change(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TfguardServer, params: types.DidCloseTextDocumentParams) -> None:
        state.did_close(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TfguardServer, params: types.DidSaveTextDocumentParams) -> None:
        state.did_save(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: TfguardServer, params: types.DidChangeConfigurationParams
    ) -> None:
        await ls.load_settings(pushed=params.settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(
        ls: TfguardServer, params: types.DidChangeWorkspaceFoldersParams
    ) -> None:
        state.folders_changed(params.event.added, params.event.removed)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(
        ls: TfguardServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        paths = [p for change in params.changes if (p := path_of(change.uri)) is not None]
        state.files_changed(paths)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier="tfguard", inter_file_dependencies=True, workspace_diagnostics=True
        ),
    )
    async def document_diagnostic(
        ls: TfguardServer, params: types.DocumentDiagnosticParams
    ) -> dict[str, Any]:
        return await state.pull_document(params.text_document.uri, params.previous_result_id)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    def workspace_diagnostic(
        ls: TfguardServer, params: types.WorkspaceDiagnosticParams
    ) -> dict[str, Any]:
        return state.pull_workspace(params.previous_result_ids)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, quickfix.SOURCE_FIX_ALL],
            resolve_provider=True,
        ),
    )
    async def code_action(
        ls: TfguardServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        return await _code_actions(ls, params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: TfguardServer, action: types.CodeAction) -> types.CodeAction:
        ref = quickfix.FixRef.from_data(action.data)
        if ref is not None:
            return await ls.fixing.resolve_fix(action, ref)
        data = action.data if isinstance(action.data, dict) else {}
        if data.get("kind") == quickfix.FIX_ALL_KIND and isinstance(data.get("uri"), str):
            return await ls.fixing.resolve_fix_all(action, data["uri"])
        if data.get("kind") in (quickfix.FIX_KIND, quickfix.FIX_ALL_KIND):
            log.warning("codeAction/resolve: unusable data %r; nothing to apply", data)
            return action
        resolver = actions.resolver_for(action)
        uri = actions.action_uri(action)
        if resolver is None or uri is None:
            return action
        view = ls.document_view(uri)
        if view is None:
            raise JsonRpcContentModified("the document is no longer open")
        expected = actions.action_version(action)
        if expected is not None and expected != view.version:
            raise JsonRpcContentModified("the document changed; ask for code actions again")
        return resolver(action, view, state.encoding)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: TfguardServer, params: types.HoverParams) -> types.Hover | None:
        return _hover(ls, params)

    @server.command(SCAN_COMMAND)
    async def scan_workspace(ls: TfguardServer, *args: Any) -> dict[str, Any]:
        if not state.settings.workspace_scan:
            ls.show_message(
                "tfguard: the workspace scan is turned off (setting workspaceScan)",
                types.MessageType.Info,
            )
            return {"modules": 0, "files": 0, "findings": 0, "cancelled": False}
        task = state.start_scan()
        if task is None:
            return {"modules": 0, "files": 0, "findings": 0, "cancelled": False}
        summary = await asyncio.shield(task)
        return summary.as_json()

    @server.command(actions.EXPLAIN_COMMAND)
    async def explain_rule(ls: TfguardServer, *args: Any) -> dict[str, Any]:
        if len(args) != 1 or not isinstance(args[0], str):
            raise JsonRpcInvalidParams(f"{actions.EXPLAIN_COMMAND} takes one rule id")
        rule = registry.get(args[0])
        if rule is None:
            raise JsonRpcInvalidParams(f"unknown rule {args[0]!r}")
        markdown = rule_markdown(rule)
        shown = False
        if state.features.show_document:
            try:
                response = await asyncio.wait_for(
                    ls.window_show_document_async(
                        types.ShowDocumentParams(uri=rule.doc_url, external=True)
                    ),
                    CLIENT_REPLY_TIMEOUT,
                )
                shown = bool(response and response.success)
            except Exception as err:
                log.info("window/showDocument failed: %s", err)
        if not shown:
            ls.show_message(
                f"{rule.id}: {rule.title} (severity {rule.severity.label}). "
                f"{rule.remediation.strip()} More: {rule.doc_url}",
                types.MessageType.Info,
            )
        return {
            "ruleId": rule.id,
            "title": rule.title,
            "url": rule.doc_url,
            "markdown": markdown,
            "opened": shown,
        }

    return server


async def _code_actions(
    ls: TfguardServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    state = ls.state
    view = ls.document_view(params.text_document.uri)
    if view is None:
        return None
    only = params.context.only
    report = state.reports.get(view.path)
    current = report is not None and report.version == view.version
    diagnostics = [d for d in params.context.diagnostics if actions.is_tfguard(d)]
    if not diagnostics and report is not None and current:
        diagnostics = [d for d in report.diagnostics if _overlaps(d.range, params.range)]
    lazy = state.features.code_action_resolve
    findings: list[Finding | None] = []
    for diagnostic in diagnostics:
        finding: Finding | None = None
        if report is not None and current:
            for index, known in enumerate(report.diagnostics):
                if known.code == diagnostic.code and known.range == diagnostic.range:
                    finding = report.findings[index]
                    break
        findings.append(finding)

    # Quick fixes come from the analysis behind the report, while it is still current.
    outcome = state.outcomes.get(os.path.dirname(view.path))
    usable = (
        report is not None
        and current
        and outcome is not None
        and outcome.result is report.result
        and state.is_current(outcome)
    )
    want_fixes = actions.wanted(_QUICK_FIX_PROBE, only)
    fix_lists: dict[int, list[Fix]] = {}
    if usable and want_fixes and outcome is not None:
        asked = [f for f in findings if f is not None]
        computed = await ls.fixing.fixes(outcome, asked)
        fix_lists = {id(f): fixes for f, fixes in zip(asked, computed, strict=True)}
        latest = ls.document_view(view.uri)
        if latest is None:
            return None
        if latest.version != view.version:
            # The text moved on while the fixes were computed: answer as for a stale report
            # (the client asks again when the new diagnostics arrive).
            view, current = latest, False
            findings = [None] * len(findings)
        if not current or not state.is_current(outcome):
            fix_lists = {}

    found: list[types.CodeAction] = []
    seen: set[object] = set()
    for diagnostic, finding in zip(diagnostics, findings, strict=True):
        fix_actions: list[types.CodeAction] = []
        if finding is not None and outcome is not None and id(finding) in fix_lists:
            fix_actions = ls.fixing.actions(
                view, outcome, diagnostic, finding, fix_lists[id(finding)], lazy=lazy
            )
        for action in actions.actions_for(
            view,
            diagnostic,
            finding,
            state.encoding,
            lazy=lazy,
            current=current,
            fixes=fix_actions,
        ):
            key: object = action.title
            if isinstance(action.data, dict) and action.data.get("kind") == quickfix.FIX_KIND:
                key = (action.title, str(action.data["range"]), action.data["ruleId"])
            if key in seen or not actions.wanted(action, only):
                continue
            seen.add(key)
            found.append(action)
    # Fix-all is offered to lazy clients at every request (it costs nothing until resolved),
    # to the others only when asked for by kind (computing it means fixing the whole file).
    # Asked for by kind (on save, typically), it waits for the analysis of the current text.
    if actions.wanted(_FIX_ALL_PROBE, only) and (lazy or only):
        fix_all = await ls.fixing.fix_all_offer(view.uri, eager=not lazy, wait=bool(only))
        if fix_all is not None:
            found.append(fix_all)
    return found


_QUICK_FIX_PROBE = types.CodeAction(title="", kind=types.CodeActionKind.QuickFix)
_FIX_ALL_PROBE = types.CodeAction(title="", kind=quickfix.SOURCE_FIX_ALL)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _hover(ls: TfguardServer, params: types.HoverParams) -> types.Hover | None:
    state = ls.state
    view = ls.document_view(params.text_document.uri)
    if view is None:
        return None
    report = state.reports.get(view.path)
    if report is None or report.version != view.version:
        return None
    lines = Lines.of(view.text)
    position = lines.from_client(params.position, state.encoding)
    found = hover_markdown(position, report.findings, report.suppressions)
    if found is None:
        return None
    text, range_ = found
    if state.features.markdown_hover:
        contents = types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    else:
        contents = types.MarkupContent(
            kind=types.MarkupKind.PlainText, value=markdown_to_plaintext(text)
        )
    return types.Hover(contents=contents, range=lines.range_to_client(range_, state.encoding))


def _encoding_name(encoding: types.PositionEncodingKind | str | None) -> str:
    if encoding is None:
        return types.PositionEncodingKind.Utf16.value
    return encoding.value if isinstance(encoding, types.PositionEncodingKind) else str(encoding)


def _port(value: str) -> int:
    port = int(value)
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, got {port}")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tfguard lsp",
        description="Run the tfguard language server (stdio by default).",
    )
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    parser.add_argument("--tcp", action="store_true", help="listen on TCP instead (debugging)")
    parser.add_argument("--host", default="127.0.0.1", help="TCP host (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=2087, help="TCP port (default 2087)")
    parser.add_argument(
        "--log-level",
        choices=sorted(logbridge.LEVELS, key=lambda k: logbridge.LEVELS[k]),
        default="info",
        help="level of window/logMessage output (default info; $/setTrace can raise it)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = logbridge.install(args.log_level)
    server = create_server(handler)
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        server.start_io()
    return 0
