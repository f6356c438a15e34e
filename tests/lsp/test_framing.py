"""The frame parser on its own: bytes in, frames and dropped bytes out."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfguard.lsp.framing import (
    HEAD_BYTES,
    Dropped,
    Event,
    Frame,
    FrameParser,
    StreamBroken,
    pump,
    request_id_in,
)


def body(msg_id: int = 1, method: str = "textDocument/hover", **params: object) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}).encode()


def frame(data: bytes, length: int | None = None, name: bytes = b"Content-Length") -> bytes:
    size = len(data) if length is None else length
    return name + b": %d\r\n\r\n" % size + data


def frames(events: list[Event]) -> list[bytes]:
    return [e.body for e in events if isinstance(e, Frame)]


def dropped(events: list[Event]) -> list[Dropped]:
    return [e for e in events if isinstance(e, Dropped)]


def test_well_formed_frames_in_any_chunking() -> None:
    stream = (
        b"".join(frame(body(i, text="x" * i * 7)) for i in range(1, 6))
        + b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
        + frame(body(6))
    )
    for size in (1, 2, 3, 7, 64, len(stream)):
        parser = FrameParser()
        events: list[Event] = []
        for start in range(0, len(stream), size):
            events += parser.feed(stream[start : start + size])
        assert frames(events) == [body(i, text="x" * i * 7) for i in range(1, 6)] + [body(6)]
        assert not dropped(events) and all(e.problem is None for e in events)  # type: ignore[union-attr]
        assert not parser.pending
        assert parser.eof() == ([], True)


def test_header_names_are_case_insensitive() -> None:
    events = FrameParser().feed(
        frame(body(1), name=b"content-length") + frame(body(2), name=b"CONTENT-LENGTH")
    )
    assert frames(events) == [body(1), body(2)]


def test_too_short_a_length_drops_the_rest_up_to_the_next_header() -> None:
    first = body(7)
    events = FrameParser().feed(frame(first, len(first) - 5) + frame(body(8)))
    assert frames(events) == [first[:-5], body(8)]
    (gone,) = dropped(events)
    assert gone.head == first[-5:] and gone.size == 5


def test_too_long_a_length_ends_where_the_next_header_starts() -> None:
    first = body(7)
    parser = FrameParser()
    events = parser.feed(frame(first, len(first) + 100) + frame(body(8)))
    assert frames(events) == [first, body(8)]
    assert events[0].problem is not None and "next message" in events[0].problem  # type: ignore[union-attr]


def test_too_long_a_length_with_nothing_after_it_waits_for_a_stall() -> None:
    parser = FrameParser()
    assert parser.feed(frame(body(7), 1000)) == []
    assert parser.pending
    (event,) = parser.stall()
    assert isinstance(event, Frame) and event.body == body(7) and event.problem
    # An incomplete body is not taken: the client may just be slow.
    assert parser.feed(frame(body(8), len(body(8)))[:-3]) == []
    assert parser.stall() == []
    assert frames(parser.feed(body(8)[-3:])) == [body(8)]


def test_garbage_before_and_between_frames() -> None:
    parser = FrameParser()
    events = parser.feed(b"garbage\r\n" + frame(body(1)) + b"\x00\xff{{{\r\n\r\n" + frame(body(2)))
    assert frames(events) == [body(1), body(2)]
    assert [d.head for d in dropped(events)] == [b"garbage\r\n", b"\x00\xff{{{\r\n"]


def test_a_header_without_a_usable_length_and_its_body_are_dropped() -> None:
    parser = FrameParser()
    events = parser.feed(b"Content-Length: twelve\r\n\r\n" + body(5))
    assert events == []
    (gone,) = parser.stall()
    assert isinstance(gone, Dropped) and request_id_in(gone.head) == 5
    assert frames(parser.feed(frame(body(6)))) == [body(6)]


def test_a_missing_blank_line_drops_the_frame() -> None:
    parser = FrameParser()
    events = parser.feed(b"Content-Length: 40\r\n" + body(5) + frame(body(6)))
    assert frames(events) == [body(6)]
    (gone,) = dropped(events)
    assert request_id_in(gone.head) == 5


def test_oversized_messages_are_skipped_without_buffering() -> None:
    parser = FrameParser(max_message=1000)
    big = body(9, text="y" * 5000)
    events = parser.feed(frame(big))
    (gone,) = dropped(events)
    assert "too large" in gone.reason and request_id_in(gone.head) == 9
    assert len(gone.head) <= HEAD_BYTES
    assert frames(parser.feed(frame(body(10)))) == [body(10)]


def test_an_oversized_length_that_lies_resynchronises() -> None:
    parser = FrameParser()
    events = parser.feed(frame(body(3), 100_000_000_000))
    events += parser.feed(frame(body(4)))
    (gone,) = dropped(events)
    assert "too large" in gone.reason and request_id_in(gone.head) == 3
    assert frames(events) == [body(4)]


def test_a_header_split_across_reads_while_skipping() -> None:
    parser = FrameParser()
    data = frame(body(3), 100_000_000_000) + frame(body(4))
    split = data.index(b"Content-Length", 10) + 5
    events = parser.feed(data[:split]) + parser.feed(data[split:])
    assert frames(events) == [body(4)]


def test_endless_garbage_breaks_the_stream() -> None:
    parser = FrameParser(max_garbage=10_000)
    with pytest.raises(StreamBroken):
        for _ in range(100):
            parser.feed(b"no header here \r\n" * 20)


def test_end_of_stream_inside_a_message() -> None:
    parser = FrameParser()
    parser.feed(b"Content-Length: 50\r\n\r\n{")
    events, clean = parser.eof()
    assert not clean and len(dropped(events)) == 1


def test_request_ids_in_broken_text() -> None:
    assert request_id_in(b'{"jsonrpc": "2.0", "id": 12, "method": "x", "par') == 12
    assert request_id_in(b'{"id": "abc\\"d", "method": "x"') == 'abc"d'
    assert request_id_in(b'{"method": "x", "params": {"id": 5}, "id": 6}') == 6
    assert request_id_in(b'{"method": "$/cancelRequest", "params": {"id": 5}}') is None
    assert request_id_in(b'{"id": 4, "result": null}') is None  # a response, not a request
    assert request_id_in(b'{"id": 12') is None  # cut inside the id
    assert request_id_in(b'junk"}}\n{"id": 3, "method": "m"') == 3
    assert request_id_in(b'"}, "id": 5, "method": "m"}') is None  # not the start of a message


@given(st.lists(st.binary(max_size=30), max_size=8), st.integers(min_value=1, max_value=40))
def test_any_garbage_then_a_frame_is_read(garbage: list[bytes], size: int) -> None:
    """Whatever comes before it, a well-formed frame after a line break is read."""
    stream = b"\r\n".join(garbage) + b"\r\n" + frame(body(77)) + frame(body(78))
    parser = FrameParser()
    events: list[Event] = []
    for start in range(0, len(stream), size):
        events += parser.feed(stream[start : start + size])
    events += parser.stall()
    assert frames(events)[-2:] == [body(77), body(78)]


def test_pump_delivers_and_reports_how_the_stream_ended() -> None:
    chunks = [frame(body(1))[:10], frame(body(1))[10:] + frame(body(2), 500), b""]
    seen: list[Event] = []

    async def read() -> bytes:
        if len(chunks) == 1:
            await asyncio.sleep(0.7)  # a stall: the too-long frame is settled
        return chunks.pop(0)

    clean = asyncio.run(pump(read, seen.append, lambda: False))
    assert frames(seen) == [body(1), body(2)] and clean


def test_a_stream_that_never_resynchronises_ends_the_session() -> None:
    """Megabytes without a header: the server gives up (exit code 1) instead of hanging."""
    from tfguard.lsp.server import create_server

    server = create_server()
    sent: list[bytes] = []

    class Sink:
        def write(self, data: bytes) -> None:
            sent.append(data)

        def close(self) -> None:
            pass

    server.protocol.set_writer(Sink())
    chunk = b"x" * (1 << 20)
    reads = 0

    async def read() -> bytes:
        nonlocal reads
        reads += 1
        return chunk if reads < 200 else b""

    try:
        code = asyncio.run(server.tfguard_protocol.serve(read))
    finally:
        server.session.shutdown()
    assert code == 1 and reads < 200  # it stopped reading: the stream was given up
    assert sent == []  # nothing in it was a request
