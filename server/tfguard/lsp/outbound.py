"""Everything the server sends to the client unasked, in one place.

Notifications (diagnostics, messages, log lines, progress) and the server's own requests
(configuration, capability registration, showDocument, diagnostic refresh) all go through
:class:`Outbound`; the only other writes are the answers to the client's requests (pygls's
dispatch, and :mod:`tfguard.lsp.protocol` for the errors). Requests to the client wait at most
:data:`CLIENT_REPLY_TIMEOUT` seconds for the answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from cachetools import LRUCache
from lsprotocol import types
from pygls.lsp.server import LanguageServer

from tfguard.lsp.protocol import TfguardProtocol

log = logging.getLogger(__name__)

CLIENT_REPLY_TIMEOUT = 10.0  # seconds to wait for the client's answer to our requests
ENCODED_DOCUMENTS = 256  # documents whose published diagnostics are kept encoded


class Outbound:
    def __init__(self, server: LanguageServer) -> None:
        self._server = server
        # The diagnostics last published for each document as JSON text, by the identity of
        # their JSON object (kept, so that an id is never reused while it is in here).
        self._encoded: LRUCache[str, dict[int, tuple[dict[str, Any], str]]] = LRUCache(
            maxsize=ENCODED_DOCUMENTS
        )

    @property
    def _protocol(self) -> TfguardProtocol:
        protocol = self._server.protocol
        assert isinstance(protocol, TfguardProtocol)
        return protocol

    # -- notifications ----------------------------------------------------------------------

    def publish_diagnostics(
        self, uri: str, diagnostics: list[dict[str, Any]], version: int | None
    ) -> None:
        """``textDocument/publishDiagnostics`` with diagnostics already converted to JSON. A
        diagnostic published before (the same object: conversions are reused while a finding
        is unchanged) is not encoded again."""
        before = self._encoded.get(uri) or {}
        now: dict[int, tuple[dict[str, Any], str]] = {}
        parts: list[str] = []
        for diagnostic in diagnostics:
            known = before.get(id(diagnostic))
            if known is None or known[0] is not diagnostic:
                known = (diagnostic, json.dumps(diagnostic))
            now[id(diagnostic)] = known
            parts.append(known[1])
        self._encoded[uri] = now
        params = f'{{"uri":{json.dumps(uri)},"diagnostics":[{",".join(parts)}]'
        if version is not None:
            params += f',"version":{int(version)}'
        self._protocol.notify_encoded(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params + "}")

    def show_message(self, message: str, kind: types.MessageType) -> None:
        self._server.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def show_warning(self, message: str) -> None:
        self.show_message(message, types.MessageType.Warning)

    def show_info(self, message: str) -> None:
        self.show_message(message, types.MessageType.Info)

    def log_message(self, params: types.LogMessageParams) -> None:
        self._server.window_log_message(params)

    def refresh_diagnostics(self) -> None:
        self._server.workspace_diagnostic_refresh(None)

    # -- progress ---------------------------------------------------------------------------

    async def begin_progress(self, token: str, title: str, on_cancel: Callable[[], None]) -> bool:
        progress = self._server.work_done_progress
        try:
            await asyncio.wait_for(progress.create_async(token), CLIENT_REPLY_TIMEOUT)
        except Exception as err:  # the client refused: work without progress
            log.info("no progress reporting for %s: %s", title, err)
            return False
        progress.begin(
            token, types.WorkDoneProgressBegin(title=title, cancellable=True, percentage=0)
        )
        cancelled = progress.tokens.get(token)
        if cancelled is not None:
            cancelled.add_done_callback(lambda f: on_cancel() if f.cancelled() else None)
        return True

    def report_progress(self, token: str, message: str, percentage: int) -> None:
        self._server.work_done_progress.report(
            token, types.WorkDoneProgressReport(message=message, percentage=percentage)
        )

    def end_progress(self, token: str, message: str) -> None:
        self._server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))

    # -- requests to the client -------------------------------------------------------------

    async def configuration(self, section: str) -> object:
        """The client's settings for ``section`` (``workspace/configuration``)."""
        values = await asyncio.wait_for(
            self._server.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=section)])
            ),
            CLIENT_REPLY_TIMEOUT,
        )
        return values[0] if values else None

    async def register_capabilities(self, registrations: Sequence[types.Registration]) -> None:
        await asyncio.wait_for(
            self._server.client_register_capability_async(
                types.RegistrationParams(registrations=list(registrations))
            ),
            CLIENT_REPLY_TIMEOUT,
        )

    async def show_document(self, uri: str, *, external: bool) -> bool:
        """Ask the client to open ``uri``; whether it says it did."""
        response = await asyncio.wait_for(
            self._server.window_show_document_async(
                types.ShowDocumentParams(uri=uri, external=external)
            ),
            CLIENT_REPLY_TIMEOUT,
        )
        return bool(response and response.success)
