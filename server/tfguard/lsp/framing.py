"""LSP frames (``Content-Length`` header, blank line, JSON body) read from a byte stream that
may be broken.

pygls reads a header line by line and then exactly ``Content-Length`` bytes: one wrong length
or one stray line and every later message is misread, silently. :class:`FrameParser` instead
resynchronises on the next valid header, which it can do safely because a header line
(``Content-Length: 123`` and a line break) can never occur inside a JSON body: line breaks in
JSON strings are escaped, and outside strings the words could not appear. So:

* header names are case-insensitive (``content-length`` works), unknown headers are ignored;
* bytes that are not a frame (a stray line, the rest of a body whose length was too short)
  are dropped up to the next header and reported as :class:`Dropped`;
* a body that contains the next header was declared too long: it ends where that header
  starts; a body still incomplete after :data:`STALL_SECONDS` of silence that already holds a
  whole JSON value is taken as it is (the length was too long and nothing followed), one
  that does not is waited for (the client may be slow, and its next message resynchronises);
* a body longer than :data:`MAX_MESSAGE_BYTES` is skipped as it arrives, never buffered.

The parser is pure (bytes in, events out); :func:`pump` drives it from an async reader.
"""

from __future__ import annotations

import asyncio
import enum
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # larger bodies are refused (skipped, and answered)
MAX_GARBAGE_BYTES = MAX_MESSAGE_BYTES  # this much without a valid header: the stream is lost
HEAD_BYTES = 4096  # what is kept of dropped bytes, to find the request id in them
STALL_SECONDS = 0.5  # silence after which an incomplete frame is looked at again
_TAIL_BYTES = 64  # kept of a long line without a line break: a header may start there
MAX_HEADER_BYTES = 8192  # a longer header block is not one

# At most 62 bytes (less than _TAIL_BYTES), so a header is never missed across two reads.
_LENGTH = re.compile(rb"content-length[ \t]{0,8}:[ \t]{0,8}(\d{1,20})[ \t]{0,8}\r?\n", re.I)
_HEADER = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*:[^\r\n]*\r?\n")
_HEADER_START = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]*(?::[^\r\n]*)?\r?")


@dataclass(frozen=True)
class Frame:
    """A message body. ``problem`` says what was wrong with its header, if anything."""

    body: bytes
    problem: str | None = None


@dataclass(frozen=True)
class Dropped:
    """Bytes that were not a readable frame; ``head`` is how they start (at most
    :data:`HEAD_BYTES`), to find the id of a request among them."""

    reason: str
    head: bytes
    size: int


Event = Frame | Dropped


class StreamBroken(Exception):
    """The stream cannot be resynchronised (too much data without a valid header)."""


class _State(enum.Enum):
    HEADER = enum.auto()
    BODY = enum.auto()
    SKIP = enum.auto()


class FrameParser:
    """Feed bytes in with :meth:`feed`; call :meth:`stall` after :data:`STALL_SECONDS`
    without data while :attr:`pending` and :meth:`eof` at the end of the stream."""

    def __init__(self, max_message: int = MAX_MESSAGE_BYTES, max_garbage: int = MAX_GARBAGE_BYTES):
        self.max_message = max_message
        self.max_garbage = max_garbage
        self._buf = bytearray()
        self._state = _State.HEADER
        self._length = 0  # BODY, SKIP: the declared length
        self._block_start = -1  # HEADER: where the header block being read starts, or -1
        self._block_length: int | None = None  # HEADER: its Content-Length
        self._scanned = 0  # BODY: how far the buffer was searched for a header
        self._skipped = 0  # SKIP: bytes skipped so far
        self._skip_head = bytearray()
        self._skip_reason = ""
        self._skip_reported = False
        self._garbage = bytearray()  # the head of the bytes dropped since the last frame
        self._garbage_size = 0
        self._garbage_reason = ""

    @property
    def pending(self) -> bool:
        """Whether bytes of an unfinished frame (or unreported garbage) are held."""
        return bool(self._buf) or self._state is not _State.HEADER or self._garbage_size > 0

    # -- input ------------------------------------------------------------------------------

    def feed(self, data: bytes) -> list[Event]:
        self._buf += data
        events: list[Event] = []
        while self._step(events):
            pass
        return events

    def stall(self) -> list[Event]:
        """No data came for a while: settle what can be settled without more bytes."""
        events: list[Event] = []
        if self._state is _State.BODY:
            body = bytes(self._buf)
            if _is_whole_json(body):
                self._buf.clear()
                self._state = _State.HEADER
                events.append(
                    Frame(
                        body,
                        f"Content-Length is {self._length} but the message ended after "
                        f"{len(body)} bytes",
                    )
                )
        elif self._state is _State.SKIP:
            self._report_skip(events)
        elif not self._could_be_header():
            self._garbage_from(0, "bytes that are not an LSP frame")
            self._block_start, self._block_length = -1, None
        self._flush_garbage(events)
        return events

    def eof(self) -> tuple[list[Event], bool]:
        """The stream ended: the last events, and whether it ended between two frames."""
        events: list[Event] = []
        clean = self._state is _State.HEADER and not self._buf.strip()
        if self._state is _State.SKIP:
            self._report_skip(events)
        elif self._buf:
            self._garbage_from(0, "an unfinished frame at the end of the stream")
        self._buf.clear()
        self._state = _State.HEADER
        self._flush_garbage(events)
        return events, clean

    # -- states -----------------------------------------------------------------------------

    def _step(self, events: list[Event]) -> bool:
        if self._state is _State.BODY:
            return self._read_body(events)
        if self._state is _State.SKIP:
            return self._skip(events)
        return self._read_header(events)

    def _read_header(self, events: list[Event]) -> bool:
        buf = self._buf
        start = max(self._block_start, 0)
        newline = buf.find(b"\n", start)
        if newline < 0:
            if len(buf) - start > _TAIL_BYTES and not self._could_be_header():
                # A long run without a line break: drop it, keeping a tail a header may start in.
                self._garbage_until(len(buf) - _TAIL_BYTES, "bytes that are not an LSP frame")
                self._block_start, self._block_length = -1, None
            return False
        line = bytes(buf[start : newline + 1])
        length = _LENGTH.search(line)
        if length is not None and length.start() > 0:
            # A header begins in the middle of the line: what comes before it is not a frame.
            self._garbage_until(start + length.start(), "bytes that are not an LSP frame")
            self._block_start, self._block_length = -1, None
            return True
        if self._block_start < 0:
            self._block_start = 0
        if length is not None:
            self._block_length = int(length.group(1))
            self._block_start = newline + 1
            return True
        if not line.strip():  # the blank line that ends a header block
            declared = self._block_length
            self._block_start, self._block_length = -1, None
            if declared is None:
                if start > 0:  # header lines, but none with a length the body could be read by
                    self._garbage_until(newline + 1, "a header without a usable Content-Length")
                else:  # a stray line break between frames
                    del buf[: newline + 1]
                return True
            del buf[: newline + 1]
            self._flush_garbage(events)
            self._start_body(declared)
            return True
        if _HEADER.fullmatch(line) is not None:  # another header (Content-Type): ignored
            self._block_start = newline + 1
            if self._block_start > MAX_HEADER_BYTES:  # too many lines for a header block
                self._garbage_until(self._block_start, "bytes that are not an LSP frame")
                self._block_start, self._block_length = -1, None
            return True
        # Not a header line: whatever was read of this header block is not a frame.
        self._garbage_until(newline + 1, "bytes that are not an LSP frame")
        self._block_start, self._block_length = -1, None
        return True

    def _start_body(self, length: int) -> None:
        self._length = length
        self._scanned = 0
        if length > self.max_message:
            self._state = _State.SKIP
            self._skipped = 0
            self._skip_head.clear()
            self._skip_reported = False
            self._skip_reason = (
                f"a message of {length} bytes is too large "
                f"(the limit is {self.max_message // (1024 * 1024)} MiB)"
            )
        else:
            self._state = _State.BODY

    def _read_body(self, events: list[Event]) -> bool:
        buf = self._buf
        end = min(len(buf), self._length)
        found = self._find_header(self._scanned, end)
        self._scanned = end
        if found is not None:
            # The declared length runs into the next frame: the message ends before it.
            body = bytes(buf[:found])
            del buf[:found]
            self._state = _State.HEADER
            events.append(
                Frame(
                    body,
                    f"Content-Length is {self._length} but the next message began after "
                    f"{len(body)} bytes",
                )
            )
            return True
        if len(buf) < self._length:
            return False
        body = bytes(buf[: self._length])
        del buf[: self._length]
        self._state = _State.HEADER
        events.append(Frame(body))
        return True

    def _skip(self, events: list[Event]) -> bool:
        buf = self._buf
        end = min(len(buf), self._length - self._skipped)
        found = self._find_header(0, end)
        cut = end if found is None else found
        done = found is not None or self._skipped + cut >= self._length
        if not done:
            cut = max(cut - _TAIL_BYTES, 0)  # a header may begin in the last bytes
        room = HEAD_BYTES - len(self._skip_head)
        if room > 0:
            self._skip_head += buf[: min(cut, room)]
        self._skipped += cut
        del buf[:cut]
        if done or len(self._skip_head) >= HEAD_BYTES:
            self._report_skip(events)
        if not done:
            return False
        self._state = _State.HEADER
        return True

    def _report_skip(self, events: list[Event]) -> None:
        if not self._skip_reported:
            self._skip_reported = True
            events.append(Dropped(self._skip_reason, bytes(self._skip_head), self._length))

    # -- helpers ----------------------------------------------------------------------------

    def _find_header(self, start: int, end: int) -> int | None:
        """Where a header line starts in ``buf[start:end]`` (searched a little before
        ``start`` too, for a header split between two reads)."""
        buf = self._buf
        begin = max(start - _TAIL_BYTES, 0)
        stop = min(len(buf), end + _TAIL_BYTES)  # a header line is shorter than _TAIL_BYTES
        # A header line ends in a line break; compact JSON has none, so this is usually quick.
        if buf.find(b"\n", begin, stop) < 0:
            return None
        match = _LENGTH.search(buf, begin, stop)
        return match.start() if match is not None and match.start() < end else None

    def _could_be_header(self) -> bool:
        """Whether the buffer may still become a header block, given more bytes."""
        if len(self._buf) > MAX_HEADER_BYTES:
            return False
        lines = bytes(self._buf).split(b"\n")
        for line in lines[:-1]:
            if not line.strip(b"\r"):
                return False  # a blank line would have ended the block
            if _HEADER.fullmatch(line + b"\n") is None:
                return False
        return _HEADER_START.fullmatch(lines[-1]) is not None

    def _garbage_until(self, end: int, reason: str) -> None:
        chunk = bytes(self._buf[:end])
        del self._buf[:end]
        self._garbage_note(chunk, reason)

    def _garbage_from(self, start: int, reason: str) -> None:
        chunk = bytes(self._buf[start:])
        del self._buf[start:]
        self._garbage_note(chunk, reason)

    def _garbage_note(self, chunk: bytes, reason: str) -> None:
        if not chunk.strip():
            return  # stray line breaks between frames are harmless
        room = HEAD_BYTES - len(self._garbage)
        if room > 0:
            self._garbage += chunk[:room]
        if not self._garbage_reason:
            self._garbage_reason = reason
        self._garbage_size += max(len(chunk), 1)
        if self._garbage_size > self.max_garbage:
            raise StreamBroken(
                f"{self._garbage_size} bytes without a valid LSP header; the stream is lost"
            )

    def _flush_garbage(self, events: list[Event]) -> None:
        if self._garbage_size > 0 and self._state is _State.HEADER:
            events.append(Dropped(self._garbage_reason, bytes(self._garbage), self._garbage_size))
        if self._state is _State.HEADER:
            self._garbage.clear()
            self._garbage_size = 0
            self._garbage_reason = ""


def _is_whole_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


# -- finding the request in bytes that could not be read ------------------------------------

_ID_VALUE = re.compile(rb'\s*(-?\d+)(?=[\s,}])|\s*"((?:[^"\\]|\\.){0,256})"')


def request_id_in(data: bytes) -> int | str | None:
    """The id of the JSON-RPC request that ``data`` starts (or that starts on one of its lines),
    read without parsing the whole text, which may be cut short: ``None`` when no request
    with an id can be seen. Only top-level keys count, so an ``id`` in the params is never
    taken for the request's."""
    starts = [0] + [i + 1 for i in range(len(data) - 1) if data[i] == 0x0A and data[i + 1] == 0x7B]
    for start in starts:
        found = _top_level_id(data, start)
        if found is not None:
            return found
    return None


def _top_level_id(data: bytes, start: int) -> int | str | None:
    i = start
    while i < len(data) and data[i] in b" \t\r\n":
        i += 1
    if i >= len(data) or data[i] != 0x7B:  # "{"
        return None
    depth = 0
    msg_id: int | str | None = None
    is_request = False
    expect_key = False
    while i < len(data):
        char = data[i]
        if char == 0x22:  # a string
            end = _string_end(data, i)
            if end < 0:
                break
            if depth == 1 and expect_key:
                key = data[i + 1 : end]
                after = end + 1
                while after < len(data) and data[after] in b" \t\r\n":
                    after += 1
                if after < len(data) and data[after] == 0x3A:  # ":"
                    if key == b"id":
                        msg_id = _id_value(data, after + 1)
                    elif key == b"method":
                        is_request = True
            expect_key = False
            i = end + 1
            continue
        if char in b"{[":
            depth += 1
            expect_key = char == 0x7B and depth == 1
        elif char in b"}]":
            depth -= 1
            if depth == 0:
                break
        elif char == 0x2C and depth == 1:  # ","
            expect_key = True
        i += 1
    return msg_id if is_request else None


def _string_end(data: bytes, quote: int) -> int:
    i = quote + 1
    while i < len(data):
        if data[i] == 0x5C:  # backslash
            i += 2
            continue
        if data[i] == 0x22:
            return i
        i += 1
    return -1


def _id_value(data: bytes, at: int) -> int | str | None:
    match = _ID_VALUE.match(data, at)
    if match is None:
        return None
    if match.group(1) is not None:
        return int(match.group(1))
    try:
        value = json.loads(b'"' + match.group(2) + b'"')
    except ValueError:
        return None
    return value if isinstance(value, str) else None


# -- driving the parser ---------------------------------------------------------------------


async def pump(
    read: Callable[[], Awaitable[bytes]],
    deliver: Callable[[Event], None],
    stopped: Callable[[], bool],
    parser: FrameParser | None = None,
) -> bool:
    """Read chunks with ``read`` (``b""`` at the end) and hand every event to ``deliver``
    until ``stopped()``. Returns whether the stream ended between frames (``False`` when it
    ended inside a message). :class:`StreamBroken` propagates."""
    parser = parser or FrameParser()
    while not stopped():
        if parser.pending:
            try:
                chunk = await asyncio.wait_for(read(), STALL_SECONDS)
            except asyncio.TimeoutError:
                _deliver_all(parser.stall(), deliver, stopped)
                continue
        else:
            chunk = await read()
        if not chunk:
            events, clean = parser.eof()
            _deliver_all(events, deliver, stopped)
            return clean
        _deliver_all(parser.feed(chunk), deliver, stopped)
    return True


def _deliver_all(
    events: list[Event], deliver: Callable[[Event], None], stopped: Callable[[], bool]
) -> None:
    for event in events:
        if stopped():
            return
        deliver(event)
