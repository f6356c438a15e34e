"""`tfguard lsp` arguments, the TCP transport, and bad input that must not crash the server."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types

from .helpers import codes, copy_workspace, open_doc, running_server, wait_for_publish


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tfguard", "lsp", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_help_and_bad_arguments() -> None:
    shown = _run("--help")
    assert shown.returncode == 0
    assert "usage: tfguard lsp" in shown.stdout
    for option in ("--tcp", "--host", "--port", "--log-level", "--stdio"):
        assert option in shown.stdout
    bad = _run("--port", "70000")
    assert bad.returncode == 2 and "port must be between 1 and 65535" in bad.stderr
    level = _run("--log-level", "loud")
    assert level.returncode == 2 and "invalid choice" in level.stderr


def _frame(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _read_message(conn: socket.socket) -> dict[str, object]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(4096)
    header, rest = data.split(b"\r\n\r\n", 1)
    length = next(
        int(line.split(b":")[1])
        for line in header.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    while len(rest) < length:
        rest += conn.recv(4096)
    return json.loads(rest[:length])  # type: ignore[no-any-return]


def test_tcp_transport(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tfguard", "lsp", "--tcp", "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=10)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        with conn:
            conn.sendall(
                _frame(
                    {
                        "jsonrpc": "2.0",
                        "id": 1,
                        "method": "initialize",
                        "params": {
                            "processId": None,
                            "rootUri": tmp_path.as_uri(),
                            "capabilities": {},
                        },
                    }
                )
            )
            reply = _read_message(conn)
            result = reply["result"]
            assert isinstance(result, dict)
            assert result["serverInfo"]["name"] == "tfguard"
            assert result["capabilities"]["textDocumentSync"]["change"] == 2  # incremental
            assert "diagnosticProvider" not in result["capabilities"]
            conn.sendall(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}))
            assert _read_message(conn)["id"] == 2
            conn.sendall(_frame({"jsonrpc": "2.0", "method": "exit", "params": None}))
    finally:
        process.terminate()
        process.wait(timeout=20)


async def test_bad_input_never_crashes_the_server(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, init_options="not an object") as (client, _):
        readme = root / "README.md"
        readme.write_text("# notes\n")
        open_doc(client, readme, language_id="markdown")
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri="untitled:Untitled-1",
                    language_id="terraform",
                    version=1,
                    text='resource "x" {',
                )
            )
        )
        garbage = root / "network" / "garbage.tf"
        uri = open_doc(client, garbage, language_id="hcl", text='\x00\x01 resource {{{ "😀\n' * 50)
        published = await wait_for_publish(client, uri, version=1)
        assert codes(published.diagnostics) and set(codes(published.diagnostics)) == {"syntax"}
        await asyncio.sleep(0.2)
        assert not [
            p for p in client.published if p.uri in (readme.as_uri(), "untitled:Untitled-1")
        ]
        (message,) = client.messages
        assert "settings must be an object" in message.message
        # still serving: another document gets its diagnostics
        sg = open_doc(client, root / "network" / "sg.tf", language_id="opentofu")
        assert codes((await wait_for_publish(client, sg, version=1)).diagnostics) == [
            "aws-ec2-no-public-ingress"
        ]
