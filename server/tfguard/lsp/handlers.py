"""The LSP methods tfguard implements: protocol types in, :class:`Session` calls out.

Each handler converts what the client sent (URIs, capabilities, params) into the session's
terms, and the session's answers into protocol types; anything the server says to the client
unasked goes through :class:`Outbound`. :func:`register` binds the handlers to the server.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from tfguard.lsp import actions, logbridge, quickfix
from tfguard.lsp.capabilities import ClientFeatures
from tfguard.lsp.code_actions import code_actions
from tfguard.lsp.convert import Lines
from tfguard.lsp.fixing import Fixing
from tfguard.lsp.hover import hover_markdown, markdown_to_plaintext, rule_markdown
from tfguard.lsp.outbound import CLIENT_REPLY_TIMEOUT, Outbound
from tfguard.lsp.session import Session
from tfguard.lsp.settings import SECTION, parse_settings, section_of
from tfguard.lsp.uris import path_of, uri_of
from tfguard.rules import registry

log = logging.getLogger(__name__)

SCAN_COMMAND = "tfguard.scanWorkspace"
WATCHED_GLOBS = (
    "**/*.tf",
    "**/*.tofu",
    "**/*.tfvars",
    "**/*.tf.json",
    "**/*.tofu.json",
    "**/*.tfvars.json",
    "**/.tfguard.hcl",
)
NO_SCAN = {"modules": 0, "files": 0, "findings": 0, "cancelled": False}


class Handlers:
    def __init__(
        self,
        server: LanguageServer,
        session: Session,
        client: Outbound,
        fixing: Fixing,
        log_handler: logbridge.ClientLogHandler | None = None,
    ) -> None:
        self.server = server
        self.session = session
        self.client = client
        self.fixing = fixing
        self.log_handler = log_handler
        self._init_settings: object = None
        self._init_problems: list[str] = []
        self._last_settings_problems = ""

    # -- lifecycle --------------------------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        session = self.session
        self._init_settings = params.initialization_options
        session.settings, self._init_problems = parse_settings(
            params.initialization_options, _resolve_rule
        )
        encoding = _encoding_name(self.server.workspace.position_encoding)
        session.initialize(ClientFeatures.of(params.capabilities), encoding, _roots(params))
        # Analysis waits for the settings, normally until `initialized` has fetched them; a
        # client that never sends `initialized` still gets diagnostics after a while.
        loop = asyncio.get_running_loop()
        loop.call_later(3 * CLIENT_REPLY_TIMEOUT, session.mark_ready)
        if self.log_handler is not None:
            self.log_handler.connect(loop, self.client.log_message)
            self.log_handler.set_trace(params.trace)

    async def initialized(self) -> None:
        if self.session.features.configuration:
            await self.load_settings()
        else:
            self.report_settings_problems(self._init_problems)
        self.session.mark_ready()
        await self.register_dynamic_capabilities()
        self.session.start_scan()

    def set_trace(self, params: types.SetTraceParams) -> None:
        if self.log_handler is not None:
            self.log_handler.set_trace(params.value)

    def shutdown(self) -> None:
        self.session.shutdown()

    # -- settings ---------------------------------------------------------------------------

    async def load_settings(self, pushed: object = None) -> None:
        """Merge initializationOptions with the client's configuration, validate, apply."""
        raw: object = section_of(self._init_settings)
        update: object = None
        if self.session.features.configuration:
            try:
                update = await self.client.configuration(SECTION)
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
        self.session.apply_settings(settings)
        log.debug("settings: %s", settings)

    def report_settings_problems(self, problems: Sequence[str]) -> None:
        text = "; ".join(problems)
        if text and text != self._last_settings_problems:
            self.client.show_warning(f"tfguard: invalid settings ignored (defaults used): {text}")
        self._last_settings_problems = text

    async def register_dynamic_capabilities(self) -> None:
        registrations: list[types.Registration] = []
        features = self.session.features
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
            await self.client.register_capabilities(registrations)
        except Exception as err:
            log.warning("client/registerCapability failed: %s", err)

    # -- documents and files ----------------------------------------------------------------

    def did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        self.session.did_open(item.uri, item.text, item.version)

    def did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        document = self.server.workspace.get_text_document(uri)  # with the changes applied
        self.session.did_change(uri, document.source, document.version)

    def did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        self.session.did_close(params.text_document.uri)

    def did_save(self, params: types.DidSaveTextDocumentParams) -> None:
        self.session.did_save(params.text_document.uri)

    def did_change_workspace_folders(self, params: types.DidChangeWorkspaceFoldersParams) -> None:
        self.session.folders_changed(
            [p for f in params.event.added if (p := path_of(f.uri)) is not None],
            [p for f in params.event.removed if (p := path_of(f.uri)) is not None],
        )

    def did_change_watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        self.session.files_changed(
            [p for change in params.changes if (p := path_of(change.uri)) is not None]
        )

    # -- diagnostics, actions, hover --------------------------------------------------------

    async def document_diagnostic(self, params: types.DocumentDiagnosticParams) -> dict[str, Any]:
        return await self.session.pull_document(params.text_document.uri, params.previous_result_id)

    def workspace_diagnostic(self, params: types.WorkspaceDiagnosticParams) -> dict[str, Any]:
        previous = {item.uri: item.value for item in params.previous_result_ids}
        return self.session.pull_workspace(previous)

    async def code_action(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        return await code_actions(self.session, self.fixing, params)

    async def code_action_resolve(self, action: types.CodeAction) -> types.CodeAction:
        ref = quickfix.FixRef.from_data(action.data)
        if ref is not None:
            return await self.fixing.resolve_fix(action, ref)
        data = action.data if isinstance(action.data, dict) else {}
        if data.get("kind") == quickfix.FIX_ALL_KIND and isinstance(data.get("uri"), str):
            return await self.fixing.resolve_fix_all(action, data["uri"])
        if data.get("kind") in (quickfix.FIX_KIND, quickfix.FIX_ALL_KIND):
            log.warning("codeAction/resolve: unusable data %r; nothing to apply", data)
            return action
        resolver = actions.resolver_for(action)
        uri = actions.action_uri(action)
        if resolver is None or uri is None:
            return action
        view = self.session.document_view(uri)
        if view is None:
            raise JsonRpcContentModified("the document is no longer open")
        expected = actions.action_version(action)
        if expected is not None and expected != view.version:
            raise JsonRpcContentModified("the document changed; ask for code actions again")
        return resolver(action, view, self.session.encoding)

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        session = self.session
        view = session.document_view(params.text_document.uri)
        report = session.current_report_of(view) if view is not None else None
        if view is None or report is None:
            return None
        lines = Lines.of(view.text)
        position = lines.from_client(params.position, session.encoding)
        found = hover_markdown(position, report.findings, report.suppressions)
        if found is None:
            return None
        text, range_ = found
        if session.features.markdown_hover:
            contents = types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
        else:
            contents = types.MarkupContent(
                kind=types.MarkupKind.PlainText, value=markdown_to_plaintext(text)
            )
        return types.Hover(contents=contents, range=lines.range_to_client(range_, session.encoding))

    # -- commands ---------------------------------------------------------------------------

    async def scan_workspace(self) -> dict[str, Any]:
        if not self.session.settings.workspace_scan:
            self.client.show_info(
                "tfguard: the workspace scan is turned off (setting workspaceScan)"
            )
            return dict(NO_SCAN)
        task = self.session.start_scan()
        if task is None:
            return dict(NO_SCAN)
        summary = await asyncio.shield(task)
        return summary.as_json()

    async def explain_rule(self, args: Sequence[Any]) -> dict[str, Any]:
        if len(args) != 1 or not isinstance(args[0], str):
            raise JsonRpcInvalidParams(f"{actions.EXPLAIN_COMMAND} takes one rule id")
        rule = registry.get(args[0])
        if rule is None:
            raise JsonRpcInvalidParams(f"unknown rule {args[0]!r}")
        markdown = rule_markdown(rule)
        shown = False
        if self.session.features.show_document:
            try:
                shown = await self.client.show_document(rule.doc_url, external=True)
            except Exception as err:
                log.info("window/showDocument failed: %s", err)
        if not shown:
            self.client.show_info(
                f"{rule.id}: {rule.title} (severity {rule.severity.label}). "
                f"{rule.remediation.strip()} More: {rule.doc_url}"
            )
        return {
            "ruleId": rule.id,
            "title": rule.title,
            "url": rule.doc_url,
            "markdown": markdown,
            "opened": shown,
        }


def register(server: LanguageServer, handlers: Handlers) -> None:
    """Bind every handler to its LSP method (or command) on ``server``."""
    feature = server.feature

    @feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        handlers.initialize(params)

    @feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        await handlers.initialized()

    @feature(types.SET_TRACE)
    def set_trace(params: types.SetTraceParams) -> None:
        handlers.set_trace(params)

    @feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        handlers.shutdown()

    @feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        handlers.did_open(params)

    @feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        handlers.did_change(params)

    @feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        handlers.did_close(params)

    @feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        handlers.did_save(params)

    @feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        await handlers.load_settings(pushed=params.settings)

    @feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        handlers.did_change_workspace_folders(params)

    @feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        handlers.did_change_watched_files(params)

    @feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier="tfguard", inter_file_dependencies=True, workspace_diagnostics=True
        ),
    )
    async def document_diagnostic(params: types.DocumentDiagnosticParams) -> dict[str, Any]:
        return await handlers.document_diagnostic(params)

    @feature(types.WORKSPACE_DIAGNOSTIC)
    def workspace_diagnostic(params: types.WorkspaceDiagnosticParams) -> dict[str, Any]:
        return handlers.workspace_diagnostic(params)

    @feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, quickfix.SOURCE_FIX_ALL],
            resolve_provider=True,
        ),
    )
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        return await handlers.code_action(params)

    @feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(action: types.CodeAction) -> types.CodeAction:
        return await handlers.code_action_resolve(action)

    @feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        return handlers.hover(params)

    # A command's first parameter named ``ls`` tells pygls not to pass it an argument.
    @server.command(SCAN_COMMAND)
    async def scan_workspace(ls: LanguageServer, *args: Any) -> dict[str, Any]:
        return await handlers.scan_workspace()

    @server.command(actions.EXPLAIN_COMMAND)
    async def explain_rule(ls: LanguageServer, *args: Any) -> dict[str, Any]:
        return await handlers.explain_rule(args)


def _resolve_rule(name: str) -> str | None:
    rule = registry.get(name)
    return rule.id if rule is not None else None


def _roots(params: types.InitializeParams) -> list[str]:
    """The workspace folders as paths (or the root URI / path of older clients)."""
    roots = [p for f in params.workspace_folders or [] if (p := path_of(f.uri)) is not None]
    if not roots:
        root_uri = params.root_uri
        if root_uri is None and params.root_path:
            root_uri = uri_of(params.root_path)
        if root_uri and (path := path_of(root_uri)) is not None:
            roots.append(path)
    return roots


def _encoding_name(encoding: types.PositionEncodingKind | str | None) -> str:
    if encoding is None:
        return types.PositionEncodingKind.Utf16.value
    return encoding.value if isinstance(encoding, types.PositionEncodingKind) else str(encoding)
