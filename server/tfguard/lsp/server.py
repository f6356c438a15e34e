"""``tfguard lsp``: the language server process (pygls 2.x).

The parts, each with one job:

* :mod:`tfguard.lsp.framing` and :mod:`tfguard.lsp.protocol` read the byte stream and check
  every message, so that a request with an id is always answered and one bad frame never
  ends the session;
* :mod:`tfguard.lsp.handlers` implements the LSP methods by calling the session;
* :mod:`tfguard.lsp.session` holds the documents, analyses and reports (no protocol there);
* :mod:`tfguard.lsp.outbound` sends everything that goes to the client.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import os
import sys
import threading
from typing import BinaryIO

from lsprotocol import types
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from tfguard import __version__
from tfguard.lsp import logbridge
from tfguard.lsp.fixing import Fixing
from tfguard.lsp.handlers import Handlers, register
from tfguard.lsp.outbound import Outbound
from tfguard.lsp.protocol import TfguardProtocol
from tfguard.lsp.session import Session

log = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 16  # read from the client at most this much at a time


class TfguardServer(LanguageServer):
    """pygls's server with tfguard's protocol, reading its input with
    :mod:`tfguard.lsp.framing` instead of pygls's line reader (see :meth:`start_io`)."""

    def __init__(self, log_handler: logbridge.ClientLogHandler | None = None) -> None:
        super().__init__(
            name="tfguard",
            version=__version__,
            protocol_cls=TfguardProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.client = Outbound(self)
        self.session = Session(self.client)
        self.fixing = Fixing(self.session)
        self.handlers = Handlers(self, self.session, self.client, self.fixing, log_handler)
        register(self, self.handlers)

    @property
    def tfguard_protocol(self) -> TfguardProtocol:
        protocol = self.protocol
        assert isinstance(protocol, TfguardProtocol)
        return protocol

    @property
    def exit_code(self) -> int:
        """0 after ``shutdown`` and ``exit``; 1 when the session ended any other way."""
        code = self.tfguard_protocol.exit_code
        return 1 if code is None else code

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve over stdin/stdout until ``exit`` or the end of input (see :attr:`exit_code`)."""
        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(self._serve_stream(stdin or sys.stdin.buffer))
        except BrokenPipeError:
            log.error("the connection to the client is lost")
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]

    async def _serve_stream(self, stream: BinaryIO) -> None:
        # A daemon thread reads, so a read blocked at exit never holds the process.
        chunks: asyncio.Queue[bytes] = asyncio.Queue()
        reader = threading.Thread(
            target=_read_chunks,
            args=(stream, asyncio.get_running_loop(), chunks),
            name="tfguard-stdin",
            daemon=True,
        )
        reader.start()
        await self.tfguard_protocol.serve(chunks.get)

    def start_tcp(self, host: str, port: int) -> None:
        self._stop_event = threading.Event()

        async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.protocol.set_writer(writer)
            try:
                await self.tfguard_protocol.serve(functools.partial(reader.read, CHUNK_BYTES))
            finally:
                self.shutdown()  # type: ignore[no-untyped-call]

        async def listen() -> None:
            self._server = await asyncio.start_server(connection, host, port)
            log.info("listening on %s:%d", host, port)
            async with self._server:
                await self._server.serve_forever()

        try:
            asyncio.run(listen())
        except asyncio.CancelledError:
            log.debug("the TCP server was stopped")


def _read_chunks(
    stream: BinaryIO, loop: asyncio.AbstractEventLoop, chunks: asyncio.Queue[bytes]
) -> None:
    # os.read on the descriptor, not the buffered stream: a daemon thread blocked inside a
    # buffered read when the interpreter exits makes it abort.
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests)
        read = getattr(stream, "read1", stream.read)
    else:
        read = functools.partial(os.read, fd)
    while True:
        try:
            data: bytes = read(CHUNK_BYTES)
        except (OSError, ValueError):  # closed
            data = b""
        try:
            loop.call_soon_threadsafe(chunks.put_nowait, data)
        except RuntimeError:  # the loop is closed: the server is exiting
            return
        if not data:
            return


def create_server(log_handler: logbridge.ClientLogHandler | None = None) -> TfguardServer:
    return TfguardServer(log_handler)


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


# How long the analysis thread may hold the interpreter before the event loop gets it back
# (Python's default is 5 ms): the loop publishes diagnostics and reads the next keystroke
# while the worker analyses the modules that call the one just edited.
SWITCH_INTERVAL = 0.001


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sys.setswitchinterval(SWITCH_INTERVAL)
    handler = logbridge.install(args.log_level)
    server = create_server(handler)
    if args.tcp:
        server.start_tcp(args.host, args.port)
        return 0
    server.start_io()
    return server.exit_code
