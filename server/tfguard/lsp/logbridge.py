"""Forward the ``tfguard`` loggers to the client as ``window/logMessage``.

The level is ``--log-level`` unless the client raised it with ``$/setTrace`` (``messages`` →
info, ``verbose`` → debug). Records may come from any thread; they are sent from the loop.
Only ``tfguard.*`` records go to the client: pygls logs every message it sends, and
forwarding those would feed back on itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from lsprotocol import types

LEVELS = {
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}

_MESSAGE_TYPES = (
    (logging.ERROR, types.MessageType.Error),
    (logging.WARNING, types.MessageType.Warning),
    (logging.INFO, types.MessageType.Info),
)

Sender = Callable[[types.LogMessageParams], None]


def message_type(levelno: int) -> types.MessageType:
    for threshold, kind in _MESSAGE_TYPES:
        if levelno >= threshold:
            return kind
    return types.MessageType.Log


class ClientLogHandler(logging.Handler):
    def __init__(self, base_level: int) -> None:
        super().__init__(level=logging.DEBUG)
        self.base_level = base_level
        self._loop: asyncio.AbstractEventLoop | None = None
        self._send: Sender | None = None
        self.setFormatter(logging.Formatter("%(message)s"))

    def connect(self, loop: asyncio.AbstractEventLoop, send: Sender) -> None:
        self._loop = loop
        self._send = send

    def set_trace(self, trace: types.TraceValue | str | None) -> int:
        """Apply a ``$/setTrace`` value; returns the effective level."""
        value = trace.value if isinstance(trace, types.TraceValue) else trace
        level = self.base_level
        if value == types.TraceValue.Verbose.value:
            level = min(level, logging.DEBUG)
        elif value == types.TraceValue.Messages.value:
            level = min(level, logging.INFO)
        logging.getLogger("tfguard").setLevel(level)
        return level

    def emit(self, record: logging.LogRecord) -> None:
        loop, send = self._loop, self._send
        if loop is None or send is None or loop.is_closed():
            return
        try:
            params = types.LogMessageParams(
                type=message_type(record.levelno), message=self.format(record)
            )
            loop.call_soon_threadsafe(send, params)
        except RuntimeError:  # loop closed while shutting down
            pass


def install(level_name: str) -> ClientLogHandler:
    """Route logging: tfguard → client (and warnings → stderr); never anything to stdout."""
    level = LEVELS[level_name]
    handler = ClientLogHandler(level)
    tfguard_logger = logging.getLogger("tfguard")
    tfguard_logger.setLevel(level)
    tfguard_logger.addHandler(handler)
    tfguard_logger.propagate = True
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(logging.Formatter("tfguard lsp %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(stderr)
    root.setLevel(logging.WARNING)
    logging.getLogger("pygls").setLevel(logging.WARNING)
    return handler
