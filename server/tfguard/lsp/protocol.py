"""The JSON-RPC layer under the handlers: whatever arrives, a request with an id is answered.

pygls 2 turns the bytes of a message into typed params in one step, as a ``json.loads`` hook,
and when that fails (a missing ``position``, params given as an array, a wrong ``jsonrpc``) it
logs and drops the message: the client waits for an answer forever. It also answers requests
before ``initialize`` with ``null`` and drops them silently after ``shutdown``.

:class:`TfguardProtocol` takes the frames of :mod:`tfguard.lsp.framing` and checks them in
steps, each with its own answer:

1. the body is JSON (``-32700`` ParseError, with the request's id when it can be read);
2. the envelope is a JSON-RPC 2.0 request, notification or response (``-32600``
   InvalidRequest);
3. the lifecycle allows it: ``-32002`` ServerNotInitialized before ``initialize``, ``-32600``
   after ``shutdown``;
4. the params have the method's types (``-32602`` InvalidParams, naming the bad field).

Notifications cannot be answered: a bad one is logged and dropped. What passes goes to pygls's
own dispatch (``_handle_request`` / ``_handle_notification`` / ``_handle_response``), so
features, commands, cancellation and progress behave exactly as pygls defines them.

It also fixes three lifecycle details: ``shutdown`` no longer fails with "dictionary changed
size during iteration" when it cancels running requests, ``exit`` is turned into the process
exit code (0 after ``shutdown``, 1 without), and a ``didChange`` whose version is older than
the document's is ignored instead of applied.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import json
import logging
import re
from collections.abc import Awaitable, Callable, Generator
from typing import Any
from urllib.parse import unquote

from cattrs import transform_error
from lsprotocol import types
from pygls.protocol import JsonRPCProtocol, LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
)

from tfguard.lsp.framing import Dropped, Event, StreamBroken, pump, request_id_in

log = logging.getLogger(__name__)

PARSE_ERROR = types.ErrorCodes.ParseError.value
INVALID_REQUEST = types.ErrorCodes.InvalidRequest.value
INVALID_PARAMS = types.ErrorCodes.InvalidParams.value
SERVER_NOT_INITIALIZED = types.ErrorCodes.ServerNotInitialized.value
_MISSING = object()
_SNAKE = re.compile(r"_([a-z])")


class TfguardProtocol(LanguageServerProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initialize_received = False
        self.exit_code: int | None = None  # set by ``exit``: the read loop stops
        self._writes: set[asyncio.Future[Any]] = set()

    # -- reading ----------------------------------------------------------------------------

    async def serve(self, read: Callable[[], Awaitable[bytes]]) -> int:
        """Read and handle messages until ``exit`` or the end of the stream; the exit code."""
        try:
            clean = await pump(read, self.handle_event, lambda: self.exit_code is not None)
        except StreamBroken as err:
            log.error("%s: exiting so that the editor starts the server again", err)
            self.exit_code = 1
            return 1
        if self.exit_code is None:
            if not clean:
                log.error("the client closed the stream in the middle of a message")
            elif not self._shutdown:
                log.warning("the client closed the stream without shutdown and exit")
            self.exit_code = 0 if clean and self._shutdown else 1
        return self.exit_code

    def handle_event(self, event: Event) -> None:
        if isinstance(event, Dropped):
            msg_id = request_id_in(event.head)
            log.error(
                "ignored %d bytes from the client: %s%s",
                event.size,
                event.reason,
                f" (request {msg_id!r})" if msg_id is not None else "",
            )
            if msg_id is not None:
                self.reply_error(msg_id, INVALID_REQUEST, f"unreadable message: {event.reason}")
            return
        if event.problem is not None:
            log.warning("a message from the client had a wrong header: %s", event.problem)
        self.handle_body(event.body)

    def handle_body(self, body: bytes) -> None:
        try:
            data = json.loads(body)
        except ValueError as err:  # UnicodeDecodeError is a ValueError too
            msg_id = request_id_in(body)
            log.error("a message from the client is not JSON (%s): %r", err, body[:200])
            self.reply_error(msg_id, PARSE_ERROR, f"the message is not valid JSON: {err}")
            return
        self.handle_json(data)

    def handle_json(self, data: object) -> None:
        if isinstance(data, list):
            self.reply_error(None, INVALID_REQUEST, "batch messages are not supported by LSP")
            return
        if not isinstance(data, dict):
            self.reply_error(None, INVALID_REQUEST, "a message must be a JSON object")
            return
        raw_id = data.get("id", _MISSING)
        has_id = raw_id is not _MISSING
        msg_id = raw_id if _is_id(raw_id) else None
        method = data.get("method", _MISSING)
        if data.get("jsonrpc") != JsonRPCProtocol.VERSION:
            problem = f'"jsonrpc" must be "2.0", not {data.get("jsonrpc", "missing")!r}'
            self._reject(has_id, msg_id, problem, method)
        elif method is not _MISSING:
            if not isinstance(method, str):
                self._reject(has_id, msg_id, '"method" must be a string', method)
            elif has_id and msg_id is None:
                self._reject(has_id, None, '"id" must be a number or a string', method)
            elif has_id:
                assert msg_id is not None
                self._request(msg_id, method, data)
            else:
                self._notification(method, data)
        elif has_id and ("result" in data or "error" in data):
            if msg_id is None:
                log.warning("ignored a response with the id %r", raw_id)
            else:
                self._response(msg_id, data)
        else:
            self._reject(has_id, msg_id, "neither a request, a notification nor a response", method)

    def _reject(self, has_id: bool, msg_id: int | str | None, problem: str, method: object) -> None:
        what = f"method {method!r}" if method is not _MISSING else "no method"
        log.warning("invalid message from the client (%s): %s", what, problem)
        if has_id:
            self.reply_error(msg_id, INVALID_REQUEST, problem)

    def _request(self, msg_id: int | str, method: str, data: dict[str, Any]) -> None:
        if self._shutdown:
            self.reply_error(msg_id, INVALID_REQUEST, f"{method} after shutdown")
            return
        if method == types.INITIALIZE:
            if self.initialize_received:
                self.reply_error(msg_id, INVALID_REQUEST, "initialize was already received")
                return
        elif not self.initialize_received:
            self.reply_error(
                msg_id, SERVER_NOT_INITIALIZED, f"{method} before initialize: not initialized"
            )
            return
        try:
            message = self._structure(data, method, JsonRPCRequestMessage)
        except Exception as err:
            problem = f"invalid params for {method}: {_describe(err)}"
            log.warning("request %r: %s", msg_id, problem)
            self.reply_error(msg_id, INVALID_PARAMS, problem)
            return
        if method == types.INITIALIZE:
            self.initialize_received = True
        contextvars.copy_context().run(self._handle_request, msg_id, method, message.params)

    def _notification(self, method: str, data: dict[str, Any]) -> None:
        if method != types.EXIT:
            if self._shutdown:
                log.warning("ignored %s after shutdown", method)
                return
            if not self.initialize_received:
                log.warning("ignored %s before initialize", method)
                return
        try:
            message = self._structure(data, method, JsonRPCNotification)
        except Exception as err:
            log.warning("ignored %s: invalid params: %s", method, _describe(err))
            return
        before = set(self._request_futures)
        contextvars.copy_context().run(self._handle_notification, method, message.params)
        # pygls files the future of a notification handled by a generator (didChange is)
        # among the requests', under an id no answer ever removes: one kept per keystroke.
        for msg_id in set(self._request_futures) - before:
            self._request_futures[msg_id].add_done_callback(self._forget(msg_id))

    def _forget(self, msg_id: str | int) -> Callable[[Any], None]:
        def forget(_: Any) -> None:
            self._request_futures.pop(msg_id, None)

        return forget

    def _response(self, msg_id: int | str, data: dict[str, Any]) -> None:
        result_type = self._result_types.pop(msg_id, None)
        try:
            if "error" in data:
                error = self._converter.structure(data, types.ResponseErrorMessage).error
                self._handle_response(msg_id, None, error)
                return
            message = self._converter.structure(data, result_type or JsonRPCResponseMessage)
        except Exception as err:
            problem = f"unreadable answer from the client: {_describe(err)}"
            log.warning("response %r: %s", msg_id, problem)
            error = types.ResponseError(code=INVALID_PARAMS, message=problem)
            self._handle_response(msg_id, None, error)
            return
        self._handle_response(msg_id, message.result)

    def _structure(self, data: dict[str, Any], method: str, fallback: type[Any]) -> Any:
        return self._converter.structure(data, self.get_message_type(method) or fallback)

    # -- writing ----------------------------------------------------------------------------

    def reply_error(self, msg_id: int | str | None, code: int, message: str) -> None:
        """Answer request ``msg_id`` (``None``: one whose id could not be read) with an error."""
        # As a dict: the id is sent even when it is null (a converted message would omit it).
        error = {"code": code, "message": message}
        self._send_data({"jsonrpc": JsonRPCProtocol.VERSION, "id": msg_id, "error": error})

    def notify_json(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification whose params are already JSON (diagnostics are converted once,
        off the event loop, and reused while unchanged)."""
        self._send_data({"jsonrpc": JsonRPCProtocol.VERSION, "method": method, "params": params})

    def notify_encoded(self, method: str, params: str) -> None:
        """Send a notification whose params are already JSON text (ASCII, as ``json.dumps``
        writes it): a thousand diagnostics encoded once each, not on every keystroke."""
        body = f'{{"jsonrpc":"{JsonRPCProtocol.VERSION}","method":{json.dumps(method)},'
        body += f'"params":{params}}}'
        if self.writer is None:
            log.error("cannot send %s: no connection", method)
            return
        header = ""
        if self._include_headers:
            header = (
                f"Content-Length: {len(body)}\r\n"
                f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
            )
        written = self.writer.write((header + body).encode(self.CHARSET))
        if inspect.isawaitable(written):  # an asynchronous transport: keep the write alive
            pending = asyncio.ensure_future(written)
            self._writes.add(pending)
            pending.add_done_callback(self._writes.discard)

    # -- lifecycle --------------------------------------------------------------------------

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        """Advertises pull diagnostics only to clients that can pull, so none gets both."""
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        text = params.capabilities.text_document
        if text is None or text.diagnostic is None:
            result.capabilities.diagnostic_provider = None
        return result

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Generator[Any, Any, None]:
        """pygls's shutdown, cancelling the other requests over a copy of the table: a
        cancelled request's callback removes it from the table at once."""
        if (user_handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield user_handler, args, None
        current = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current and not future.done():
                future.cancel()
        self._shutdown = True
        return None

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args: Any) -> Generator[Any, Any, None]:
        """Stops the read loop; the process then exits with :attr:`exit_code`."""
        if (user_handler := self.fm.features.get(types.EXIT)) is not None:
            yield user_handler, args, None
        if not self._shutdown:
            log.warning("exit without shutdown: exiting with code 1")
        self.exit_code = 0 if self._shutdown else 1

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        """Applies the change unless it is older than the document (or the document is not
        open): an old edit applied to a newer text would publish findings for a text the
        editor never had."""
        uri, version = params.text_document.uri, params.text_document.version
        document = self.workspace.text_documents.get(unquote(uri))
        if document is None:
            log.warning("ignored a change to %s, which is not open", uri)
            return
        if document.version is not None and version < document.version:
            log.warning(
                "ignored an edit of %s at version %d: the document is already at version %d",
                uri,
                version,
                document.version,
            )
            return
        yield from super().lsp_text_document__did_change(params)


def _is_id(value: object) -> bool:
    return isinstance(value, int | str) and not isinstance(value, bool)


def _describe(err: Exception) -> str:
    """What is wrong, with where: ``required field missing @ $.params.position``."""
    try:
        problems = transform_error(err, path="$")
    except Exception:  # not a cattrs error
        problems = [str(err) or type(err).__name__]
    return "; ".join(_json_names(problem) for problem in problems)


def _json_names(problem: str) -> str:
    """The path in a cattrs message with the JSON field names (``contentChanges``)."""
    text, at, path = problem.rpartition(" @ ")
    if not at:
        return problem
    return f"{text} @ {_SNAKE.sub(lambda m: m.group(1).upper(), path)}"
