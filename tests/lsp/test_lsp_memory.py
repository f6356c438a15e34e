"""A long editing session keeps nothing per keystroke: the server's protocol, driven in this
process, is looked at after many edits (bench/soak.py measures the memory itself)."""

from __future__ import annotations

import asyncio
import gc
import json
from pathlib import Path
from typing import Any

from tfguard.incremental import TrackedModule
from tfguard.lsp.server import create_server

EDITS = 150
TIMEOUT = 60.0


class _Writer:
    """The connection's other end: what the server sends, by diagnostics version."""

    def __init__(self) -> None:
        self.versions: set[int] = set()

    def write(self, data: bytes) -> None:
        body = json.loads(data.split(b"\r\n\r\n", 1)[1])
        if body.get("method") == "textDocument/publishDiagnostics":
            self.versions.add(body["params"].get("version", -1))

    def close(self) -> None:
        pass


async def _published(writer: _Writer, version: int) -> None:
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while version not in writer.versions:
        assert asyncio.get_running_loop().time() < deadline, f"no diagnostics for {version}"
        await asyncio.sleep(0.005)


async def test_many_edits_leave_no_request_future_and_one_module_behind(tmp_path: Path) -> None:
    main = tmp_path / "main.tf"
    text = 'resource "aws_security_group" "sg" {\n  description = "x"\n}\n'
    main.write_text(text, encoding="utf-8")
    server = create_server()
    protocol = server.tfguard_protocol
    writer = _Writer()
    protocol.set_writer(writer)  # type: ignore[arg-type]

    def send(method: str, params: Any, msg_id: int | None = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if msg_id is not None:
            message["id"] = msg_id
        protocol.handle_event(_event(json.dumps(message).encode()))

    uri = main.as_uri()
    options = {"workspaceScan": False, "debounceMs": 0}
    send(
        "initialize",
        {
            "processId": None,
            "rootUri": tmp_path.as_uri(),
            "capabilities": {},
            "initializationOptions": options,
        },
        1,
    )
    send("initialized", {})
    send(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": text}},
    )
    try:
        await _published(writer, 1)
        for version in range(2, EDITS + 2):
            at = {"line": 1, "character": 17}
            change = {"range": {"start": at, "end": at}, "text": "y"}
            send(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            await _published(writer, version)
        await asyncio.sleep(0.2)
        # pygls once kept the future of every didChange (a generator handler) forever.
        assert len(protocol._request_futures) <= 1
        gc.collect()
        modules = [o for o in gc.get_objects() if isinstance(o, TrackedModule)]
        assert len(modules) <= 2  # the last analysis's (and at most one being replaced)
    finally:
        server.session.shutdown()


def _event(body: bytes) -> Any:
    from tfguard.lsp.framing import Frame

    return Frame(body)
