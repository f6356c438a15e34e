"""A progress line for long scans: on a terminal only, never in pipes or CI logs unless asked.

On a terminal (standard error is a TTY and ``CI`` is not set) the line appears once a scan has
run for :data:`DELAY` seconds, is redrawn in place at most every :data:`TTY_INTERVAL` seconds,
and is erased when the scan ends, so it leaves nothing behind. ``--progress`` asks for it
anywhere: from the start, and, where standard error is not a terminal, as plain lines every
:data:`LINE_INTERVAL` seconds (a CI log cannot redraw a line) ending with one final line.
"""

from __future__ import annotations

import enum
import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO

DELAY = 1.0
TTY_INTERVAL = 0.1
LINE_INTERVAL = 5.0
RATE_AFTER = 0.5  # seconds
_ERASE = "\r\033[K"


class Mode(enum.Enum):
    OFF = "off"
    TTY = "tty"  # one line redrawn in place, erased at the end
    LINES = "lines"  # plain lines, for logs


def choose_mode(stream: TextIO, forced: bool | None, environ: Mapping[str, str]) -> Mode:
    """``forced``: True (--progress), False (--no-progress) or None (decide)."""
    if forced is False:
        return Mode.OFF
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if forced:
        return Mode.TTY if tty else Mode.LINES
    if tty and not environ.get("CI") and environ.get("TERM") != "dumb":
        return Mode.TTY
    return Mode.OFF


class Progress:
    def __init__(
        self,
        stream: TextIO,
        total: int,
        mode: Mode,
        *,
        delay: float = DELAY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.total = total
        self.mode = mode
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.modules = 0
        self.files = 0
        self._last_draw: float | None = None
        self._drawn = False  # a TTY line is on the screen

    def advance(self, files: int) -> None:
        """One more module analysed, with ``files`` files."""
        self.modules += 1
        self.files += files
        if self.mode is Mode.OFF:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        interval = TTY_INTERVAL if self.mode is Mode.TTY else LINE_INTERVAL
        if self._last_draw is not None and now - self._last_draw < interval:
            return
        self._last_draw = now
        self._write(self.line(now))

    def line(self, now: float) -> str:
        text = f"tfguard: {self.modules}/{self.total} modules, {self.files} files"
        elapsed = now - self.started
        if elapsed >= RATE_AFTER:  # a rate over a few milliseconds says nothing
            text += f" ({self.files / elapsed:.0f} files/s)"
        return text

    def close(self) -> None:
        """Erase the line (TTY), or write the last one (forced lines)."""
        if self.mode is Mode.TTY and self._drawn:
            self._emit(_ERASE)
            self._drawn = False
        elif self.mode is Mode.LINES and self._last_draw is not None:
            now = self.clock()
            self._emit(f"{self.line(now)} in {now - self.started:.1f} s\n")

    def _write(self, line: str) -> None:
        if self.mode is Mode.TTY:
            width = _width(self.stream)
            self._emit(_ERASE + line[: max(width - 1, 10)])
            self._drawn = True
        else:
            self._emit(line + "\n")

    def _emit(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed terminal must not stop the scan
            self.mode = Mode.OFF


def _width(stream: TextIO) -> int:
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        columns = 0
    return columns if columns > 0 else 80  # a terminal that does not say: assume 80
