"""A minimal LSP client over stdio for the benchmarks.

It frames and parses JSON-RPC itself and looks at a ``publishDiagnostics`` only as far as its
URI and version, so the time it records for a notification is when the server's bytes
arrived, not how long a client library takes to turn ~1,000 diagnostics into objects.
Requests from the server (configuration, capability registration, progress) are answered.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_URI = re.compile(rb'"uri"\s*:\s*"([^"]*)"')
_VERSION = re.compile(rb'"version"\s*:\s*(-?\d+|null)')
PUBLISH = b'"textDocument/publishDiagnostics"'


class Client:
    """One server process and what it published: (uri, version) → arrival time."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = dict(settings)
        self.process: asyncio.subprocess.Process | None = None
        self.published: dict[tuple[str, int | None], float] = {}
        self.counts: dict[tuple[str, int | None], int] = {}
        self.bytes_received = 0
        self._responses: dict[int, asyncio.Future[Any]] = {}
        self._next_id = 0
        self._arrived = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def start(self, *command: str) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *(command or (sys.executable, "-m", "tfguard", "lsp", "--log-level", "warning")),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self._reader = asyncio.create_task(self._read())

    async def initialize(self, root: Path) -> None:
        await self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": "bench"}],
                "capabilities": {"workspace": {"configuration": True}},
                "initializationOptions": self.settings,
            },
        )
        self.notify("initialized", {})

    def open(self, path: Path, text: str, version: int = 1) -> None:
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": path.as_uri(),
                    "languageId": "terraform",
                    "version": version,
                    "text": text,
                }
            },
        )

    def insert(self, path: Path, line: int, character: int, text: str, version: int) -> None:
        at = {"line": line, "character": character}
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": path.as_uri(), "version": version},
                "contentChanges": [{"range": {"start": at, "end": at}, "text": text}],
            },
        )

    async def published_at(self, uri: str, version: int | None, timeout: float = 60) -> float:
        deadline = time.perf_counter() + timeout
        while (uri, version) not in self.published:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for {uri} version {version}")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                continue
        return self.published[(uri, version)]

    async def request(self, method: str, params: Any) -> Any:
        self._next_id += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._responses[self._next_id] = future
        self._send({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        return await asyncio.wait_for(future, 120)

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.request("shutdown", None), 30)
            self.notify("exit", None)
        except (TimeoutError, asyncio.TimeoutError, ConnectionError):
            pass
        if self.process is not None:
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except asyncio.TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._reader is not None:
            self._reader.cancel()

    # -- wire --------------------------------------------------------------------------------

    def _send(self, message: Any) -> None:
        assert self.process is not None and self.process.stdin is not None
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        stream = self.process.stdout
        while True:
            length = -1
            while True:
                line = await stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            body = await stream.readexactly(length)
            arrived = time.perf_counter()
            self.bytes_received += len(body)
            self._dispatch(body, arrived)

    def _dispatch(self, body: bytes, arrived: float) -> None:
        if PUBLISH in body[:200]:
            uri = _URI.search(body)
            versions = _VERSION.findall(body[-64:])
            version = None if not versions or versions[-1] == b"null" else int(versions[-1])
            key = (uri.group(1).decode() if uri else "", version)
            self.published.setdefault(key, arrived)
            self.counts[key] = body.count(b'"source"')
            self._arrived.set()
            return
        message = json.loads(body)
        if "method" in message and "id" in message:  # a request from the server
            result: Any = None
            if message["method"] == "workspace/configuration":
                items = message.get("params", {}).get("items", [])
                result = [self.settings for _ in items]
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        elif "id" in message:
            future = self._responses.pop(message["id"], None)
            if future is not None and not future.done():
                future.set_result(message.get("result"))


def rss_kib(pid: int) -> tuple[int, int]:
    """(current, peak) resident memory of a process, in KiB (0 when unknown)."""
    fields: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0])
    except OSError:
        return (0, 0)
    return fields.get("VmRSS", 0), fields.get("VmHWM", 0)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]
