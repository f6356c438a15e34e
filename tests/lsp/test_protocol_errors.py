"""Bad messages and broken frames, written as raw bytes to ``tfguard lsp`` over stdio.

pytest-lsp's client only sends well-formed messages, so these tests speak JSON-RPC through a
small client of their own (:class:`RawServer`). Every request that carries an id must get an
answer (an error code for a bad one), a bad frame must not end the session, and after each
case the server must still answer a valid hover.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import copy_workspace, position_of

TIMEOUT = 20.0
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002
INTERNAL_ERROR = -32603
REQUEST_CANCELLED = -32800
OPTIONS = {"workspaceScan": False, "debounceMs": 0}


def frame(body: bytes, *, name: bytes = b"Content-Length", length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    return name + b": " + str(size).encode() + b"\r\n\r\n" + body


def encode(message: object) -> bytes:
    return json.dumps(message).encode()


class RawServer:
    """``tfguard lsp`` as a subprocess, spoken to in raw bytes; what it sends is parsed."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tfguard", "lsp", "--log-level", "info"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.received: list[dict[str, Any]] = []
        self.stderr = bytearray()
        self._changed = threading.Condition()
        self._threads = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        self._next_id = 1000

    # -- the wire -------------------------------------------------------------------------

    def _read_stdout(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None, "the server sent a frame without Content-Length"
            message = json.loads(stream.read(length))
            if "method" in message and "id" in message:  # a request to the client
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            with self._changed:
                self.received.append(message)
                self._changed.notify_all()

    def _read_stderr(self) -> None:
        stream = self.process.stderr
        assert stream is not None
        while chunk := stream.read1(4096):
            self.stderr += chunk

    def write(self, data: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(data)
        stdin.flush()

    def send(self, message: object) -> None:
        self.write(frame(encode(message)))

    # -- conversations --------------------------------------------------------------------

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def wait(self, predicate: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        with self._changed:
            while True:
                for message in self.received:
                    if predicate(message):
                        return message
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError(
                        f"no {what} (exit code {self.process.poll()}); stderr: "
                        + self.stderr.decode(errors="replace")[-2000:]
                    )
                self._changed.wait(min(left, 0.2))

    def reply(self, msg_id: object) -> dict[str, Any]:
        return self.wait(
            lambda m: "method" not in m and "id" in m and m["id"] == msg_id,
            f"reply to {msg_id!r}",
        )

    def request(self, method: str, params: object = None, **extra: object) -> dict[str, Any]:
        msg_id = self.new_id()
        message: dict[str, object] = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            message["params"] = params
        message.update(extra)
        self.send(message)
        return self.reply(msg_id)

    def notify(self, method: str, params: object) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def error_code(self, msg_id: object) -> int | None:
        error = self.reply(msg_id).get("error")
        return error["code"] if isinstance(error, dict) else None

    def logged(self, needle: str) -> dict[str, Any]:
        return self.wait(
            lambda m: m.get("method") == "window/logMessage" and needle in m["params"]["message"],
            f"log message containing {needle!r}",
        )

    def initialize(self, root: Path, options: dict[str, object] | None = None) -> None:
        reply = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": {},
                "initializationOptions": OPTIONS if options is None else options,
            },
        )
        assert "result" in reply, reply
        self.notify("initialized", {})

    def open(self, path: Path, version: int = 1, text: str | None = None) -> str:
        uri = path.as_uri()
        body = path.read_text() if text is None else text
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "terraform",
                    "version": version,
                    "text": body,
                }
            },
        )
        return uri

    def published(self, uri: str, version: int | None) -> dict[str, Any]:
        return self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            ),
            f"diagnostics for {uri} v{version}",
        )

    def exit_code(self) -> int:
        return self.process.wait(timeout=TIMEOUT)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


class Session:
    """An initialized server with ``network/sg.tf`` open and analysed."""

    def __init__(self, server: RawServer, root: Path) -> None:
        self.server = server
        self.root = root
        self.path = root / "network" / "sg.tf"
        self.text = self.path.read_text()
        self.uri = server.open(self.path)
        server.published(self.uri, 1)

    def hover_message(self, msg_id: int) -> dict[str, Any]:
        position = position_of(self.text, "var.admin_cidr")
        return {
            "jsonrpc": "2.0",
            "id": msg_id,
            "method": "textDocument/hover",
            "params": {
                "textDocument": {"uri": self.uri},
                "position": {"line": position.line, "character": position.character},
            },
        }

    def assert_hover_works(self) -> None:
        msg_id = self.server.new_id()
        self.server.send(self.hover_message(msg_id))
        result = self.server.reply(msg_id).get("result")
        assert isinstance(result, dict), f"hover answered {result!r}"
        assert "aws-ec2-no-public-ingress" in result["contents"]["value"]


@pytest.fixture
def raw() -> Iterator[RawServer]:
    server = RawServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def session(raw: RawServer, tmp_path: Path) -> Session:
    root = copy_workspace(tmp_path)
    raw.initialize(root)
    return Session(raw, root)


# -- bad params and bad envelopes -----------------------------------------------------------


def test_requests_with_bad_params_are_answered_invalid_params(session: Session) -> None:
    server, uri = session.server, session.uri
    document = {"uri": uri}
    cases: dict[str, object] = {
        "hover without position": {"textDocument": document},
        "hover with a string position": {"textDocument": document, "position": "here"},
        "hover with a mistyped line": {
            "textDocument": document,
            "position": {"line": "first", "character": 0},
        },
        "hover with a negative line": {
            "textDocument": document,
            "position": {"line": -1, "character": 0},
        },
        "hover with params as an array": [document, {"line": 0, "character": 0}],
        "hover without params": None,
        "hover with a number as params": 7,
    }
    for name, params in cases.items():
        msg_id = server.new_id()
        message: dict[str, object] = {
            "jsonrpc": "2.0",
            "id": msg_id,
            "method": "textDocument/hover",
        }
        if params is not None:
            message["params"] = params
        server.send(message)
        assert server.error_code(msg_id) == INVALID_PARAMS, name
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}
    code_actions: dict[str, object] = {
        "code action without context": {"textDocument": document, "range": whole},
        "code action with a string range": {
            "textDocument": document,
            "range": "all",
            "context": {"diagnostics": []},
        },
        "code action with diagnostics not a list": {
            "textDocument": document,
            "range": whole,
            "context": {"diagnostics": {"x": 1}},
        },
    }
    for name, params in code_actions.items():
        reply = server.request("textDocument/codeAction", params)
        assert reply.get("error", {}).get("code") == INVALID_PARAMS, (name, reply)
    # The error says where the params are wrong.
    reply = server.request("textDocument/hover", {"textDocument": document})
    assert "position" in reply["error"]["message"]
    session.assert_hover_works()


def test_bad_envelopes_are_answered_invalid_request(session: Session) -> None:
    server = session.server
    hover = session.hover_message(0)["params"]
    for name, message in {
        "jsonrpc 1.0": {"jsonrpc": "1.0", "id": 501, "method": "textDocument/hover"},
        "no jsonrpc": {"id": 502, "method": "textDocument/hover", "params": hover},
        "method not a string": {"jsonrpc": "2.0", "id": 503, "method": 12},
        "neither a request nor a response": {"jsonrpc": "2.0", "id": 504},
    }.items():
        server.send(message)
        assert server.error_code(message["id"]) == INVALID_REQUEST, name
    # An id that is not a number or a string cannot be echoed: the answer has id null.
    server.send({"jsonrpc": "2.0", "id": {"n": 1}, "method": "textDocument/hover"})
    assert server.error_code(None) == INVALID_REQUEST
    session.assert_hover_works()


def test_a_body_that_is_not_json_is_a_parse_error(session: Session) -> None:
    server = session.server
    server.write(frame(b'{"jsonrpc": "2.0", "id": 601, "method": "textDocument/hover", '))
    assert server.error_code(601) == PARSE_ERROR  # the id is read from the broken text
    server.write(frame(b"[1, 2"))
    assert server.error_code(None) == PARSE_ERROR
    server.write(frame(b"[]"))  # a batch: not supported by LSP
    server.wait(
        lambda m: (
            m.get("id") is None
            and m.get("error", {}).get("code") == INVALID_REQUEST
            and "batch" in m["error"]["message"]
        ),
        "an answer to the batch",
    )
    session.assert_hover_works()


def test_notifications_with_bad_params_are_logged_and_dropped(session: Session) -> None:
    server = session.server
    server.notify("textDocument/didChange", {"textDocument": {"uri": session.uri}})
    logged = server.logged("textDocument/didChange")
    assert "contentChanges" in logged["params"]["message"]
    server.notify("textDocument/didOpen", [1, 2, 3])
    server.logged("textDocument/didOpen")
    session.assert_hover_works()


# -- lifecycle ------------------------------------------------------------------------------


def test_before_initialize_and_bad_initialize(raw: RawServer, tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    hover = raw.request(
        "textDocument/hover",
        {"textDocument": {"uri": "file:///x.tf"}, "position": {"line": 0, "character": 0}},
    )
    assert hover.get("error", {}).get("code") == SERVER_NOT_INITIALIZED, hover
    wrong = raw.request("initialize", {"processId": "me", "capabilities": 5})
    assert wrong.get("error", {}).get("code") == INVALID_PARAMS, wrong
    assert "capabilities" in wrong["error"]["message"]
    raw.initialize(root)  # the session goes on: a valid initialize still works
    again = raw.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    assert again.get("error", {}).get("code") == INVALID_REQUEST, again
    Session(raw, root).assert_hover_works()


def test_after_shutdown_requests_are_invalid_and_exit_is_clean(session: Session) -> None:
    server = session.server
    reply = server.request("shutdown")
    assert "error" not in reply and reply["result"] is None, reply
    hover_id = server.new_id()
    server.send(session.hover_message(hover_id))
    assert server.error_code(hover_id) == INVALID_REQUEST
    server.notify("exit", None)
    assert server.exit_code() == 0


def test_exit_without_shutdown_exits_with_1(session: Session) -> None:
    session.server.notify("exit", None)
    assert session.server.exit_code() == 1


def test_shutdown_while_requests_run(raw: RawServer, tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    for index in range(60):  # something for the workspace scan to do
        module = root / "many" / f"m{index}"
        module.mkdir(parents=True)
        (module / "main.tf").write_text((root / "network" / "sg.tf").read_text())
    raw.initialize(root, {**OPTIONS, "workspaceScan": True})
    session = Session(raw, root)
    scan_id, actions_id, shutdown_id = raw.new_id(), raw.new_id(), raw.new_id()
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 10, "character": 0}}
    raw.write(
        frame(
            encode(
                {
                    "jsonrpc": "2.0",
                    "id": scan_id,
                    "method": "workspace/executeCommand",
                    "params": {"command": "tfguard.scanWorkspace", "arguments": []},
                }
            )
        )
        + frame(
            encode(
                {
                    "jsonrpc": "2.0",
                    "id": actions_id,
                    "method": "textDocument/codeAction",
                    "params": {
                        "textDocument": {"uri": session.uri},
                        "range": whole,
                        "context": {"diagnostics": [], "only": ["source.fixAll.tfguard"]},
                    },
                }
            )
        )
        + frame(encode({"jsonrpc": "2.0", "id": shutdown_id, "method": "shutdown"}))
    )
    shutdown = raw.reply(shutdown_id)
    assert "error" not in shutdown and shutdown["result"] is None, shutdown
    for msg_id in (scan_id, actions_id):
        answer = raw.reply(msg_id)
        assert "result" in answer or answer["error"]["code"] == REQUEST_CANCELLED, answer
    raw.notify("exit", None)
    assert raw.exit_code() == 0


# -- broken frames --------------------------------------------------------------------------


def test_content_length_too_short(session: Session) -> None:
    server = session.server
    body = encode(session.hover_message(701))
    server.write(frame(body, length=len(body) - 9))
    assert server.error_code(701) == PARSE_ERROR
    session.assert_hover_works()  # the rest of the broken body is skipped


def test_content_length_too_long(session: Session) -> None:
    server = session.server
    body = encode(session.hover_message(702))
    # Followed at once by another message: the next header shows where the first one ended.
    server.write(frame(body, length=len(body) + 40) + frame(encode(session.hover_message(703))))
    assert "result" in server.reply(702) and "result" in server.reply(703)
    # Alone: nothing more arrives, so the server stops waiting for the missing bytes.
    server.write(frame(encode(session.hover_message(704)), length=len(body) + 400))
    assert isinstance(server.reply(704).get("result"), dict)
    server.logged("Content-Length")
    session.assert_hover_works()


def test_garbage_headers(session: Session) -> None:
    server = session.server
    server.write(b"garbage without a colon\r\n" + frame(encode(session.hover_message(801))))
    assert isinstance(server.reply(801).get("result"), dict)
    server.write(b"\x00\xff\xfe random bytes {{{ \r\n\r\n")
    session.assert_hover_works()
    server.write(b"Content-Length: twelve\r\n\r\n" + encode(session.hover_message(802)))
    assert server.error_code(802) == INVALID_REQUEST  # the frame had no usable length
    server.logged("Content-Length")
    session.assert_hover_works()


def test_lower_case_header_names(session: Session) -> None:
    server = session.server
    server.write(frame(encode(session.hover_message(901)), name=b"content-length"))
    assert isinstance(server.reply(901).get("result"), dict)
    server.write(
        b"content-type: application/vscode-jsonrpc; charset=utf-8\r\n"
        + frame(encode(session.hover_message(902)), name=b"CONTENT-LENGTH")
    )
    assert isinstance(server.reply(902).get("result"), dict)


def test_huge_content_length_is_refused_and_the_session_goes_on(session: Session) -> None:
    server = session.server
    server.write(frame(encode(session.hover_message(951)), length=100_000_000_000))
    assert server.error_code(951) == INVALID_REQUEST
    server.logged("too large")
    session.assert_hover_works()
    assert server.process.poll() is None


def test_the_stream_ending_inside_a_message_ends_the_server(session: Session) -> None:
    server = session.server
    stdin = server.process.stdin
    assert stdin is not None
    stdin.write(b"Content-Length: 500\r\n\r\n{")  # then the client goes away
    stdin.close()
    assert server.exit_code() == 1
    assert b"in the middle of a message" in server.stderr


# -- document versions ----------------------------------------------------------------------


def test_edits_older_than_the_document_are_ignored(session: Session) -> None:
    server, uri = session.server, session.uri
    closed = session.text.replace("[var.admin_cidr]", '["10.0.0.0/8"]')

    def replace_all(version: int, text: str) -> None:
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )

    replace_all(5, session.text.replace("admin_cidr", "admin_cidr "))
    server.published(uri, 5)
    replace_all(3, closed)
    server.logged("version 3")
    session.text = session.text.replace("admin_cidr", "admin_cidr ")
    session.assert_hover_works()  # still the text of version 5, with its finding
    assert not [
        m
        for m in server.received
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == 3
    ]
