"""Bytes Terraform rejects: invalid UTF-8, NUL bytes, binary files.

Terraform refuses a configuration file that is not UTF-8 text, so such a file must fail a
scan, not be skipped: it is analysed with each undecodable byte sequence replaced by U+FFFD
(one character for each, as editors decode it, so every column stays where the editor shows
it), and every line holding a bad character gets one high ``syntax`` finding.

The check runs on text, so that the file on disk and the editor's buffer of it (which the
client decoded the same way) give the same findings. Where the bytes are known (the file was
read from disk, or the buffer is that file's text) the message names them, and a U+FFFD that
the file really contains (valid UTF-8) is not a problem; in an edited buffer every U+FFFD is
reported, as the byte it most likely stands for cannot be told.

Binary files: when at least :data:`BINARY_MIN` of the first :data:`BINARY_SAMPLE` characters,
and at least one in :data:`BINARY_SHARE`, are NUL or U+FFFD, the file is binary (an image,
an archive, UTF-16 text, a file filled with zeros): it gets one finding at its start and is not
analysed further. A text file with a few stray bytes stays below this (one NUL, a Latin-1 file
with accented letters) and gets its findings where the bytes are.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

REPLACEMENT = "\ufffd"
NUL = "\x00"
BINARY_SAMPLE = 8192
BINARY_MIN = 8
BINARY_SHARE = 8
MAX_LINES = 20  # lines with bad characters reported per file; the last one counts the rest
BAD_CHARACTER = re.compile("[\x00\ufffd]")  # what the parser sees as a space

BINARY_MESSAGE = "binary file, not analysed: Terraform reads UTF-8 text"
NUL_MESSAGE = "NUL byte: Terraform rejects this file"
UNKNOWN_MESSAGE = "invalid UTF-8 (shown as U+FFFD): Terraform rejects this file"


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's bytes as text, and the bytes each U+FFFD of the text replaced (by offset)."""

    text: str
    replaced: Mapping[int, bytes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BadText:
    line: int  # 0-based
    column: int  # in code points
    message: str


def is_binary(text: str) -> bool:
    sample = text[:BINARY_SAMPLE]
    if NUL not in sample and REPLACEMENT not in sample:
        return False
    bad = sample.count(NUL) + sample.count(REPLACEMENT)
    return bad >= BINARY_MIN and bad * BINARY_SHARE >= len(sample)


def decode(data: bytes) -> Decoded:
    """UTF-8 ``data`` as text, with U+FFFD for each undecodable sequence (Unicode's
    "maximal subpart" practice, as editors do); a binary file's bytes are not itemised."""
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    if is_binary(text):
        return Decoded(text)
    return Decoded(text, _replaced(data))


def _replaced(data: bytes) -> dict[int, bytes]:
    """Text offset of each U+FFFD that stands for undecodable bytes → those bytes. Strict
    decoding stops at the next error, so every byte is decoded at most twice."""
    view = memoryview(data)
    out: dict[int, bytes] = {}
    pos = chars = 0
    while pos < len(data):
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)
            break
        except UnicodeDecodeError as err:
            chars += len(codecs.utf_8_decode(view[pos : pos + err.start], "strict", True)[0])
            out[chars] = bytes(view[pos + err.start : pos + err.end])
            chars += 1
            pos += err.end
    return out


def problems(text: str, replaced: Mapping[int, bytes] | None) -> list[BadText]:
    """Where ``text`` holds what Terraform rejects: one entry per line (at its first bad
    character), or one at the start for a binary file. ``replaced`` is what the text's
    U+FFFD characters replaced (``None``: not known, every U+FFFD counts)."""
    if NUL not in text and REPLACEMENT not in text:
        return []
    if is_binary(text):
        return [BadText(0, 0, BINARY_MESSAGE)]
    lines: list[list[tuple[int, str]]] = []
    line_start = -1
    for match in BAD_CHARACTER.finditer(text):
        offset = match.start()
        if match.group() == NUL:
            message = NUL_MESSAGE
        elif replaced is None:
            message = UNKNOWN_MESSAGE
        elif offset in replaced:
            message = _bytes_message(replaced[offset])
        else:
            continue  # a U+FFFD written in the file as valid UTF-8
        start = text.rfind("\n", 0, offset) + 1
        if start != line_start:
            lines.append([])
            line_start = start
        lines[-1].append((offset, message))
    out: list[BadText] = []
    line = previous = 0
    for found in lines[:MAX_LINES]:
        offset, message = found[0]
        line += text.count("\n", previous, offset)
        previous = offset
        if len(found) > 1:
            message += f" ({len(found) - 1} more on this line)"
        column = offset - (text.rfind("\n", 0, offset) + 1)
        out.append(BadText(line, column, message))
    if len(lines) > MAX_LINES:
        last = out[-1]
        more = len(lines) - MAX_LINES
        message = f"{last.message}; {more} more line{'s' if more != 1 else ''} below"
        out[-1] = BadText(last.line, last.column, message)
    return out


def _bytes_message(data: bytes) -> str:
    listed = " ".join(f"0x{b:02X}" for b in data)
    noun = "byte" if len(data) == 1 else "bytes"
    return f"invalid UTF-8 {noun} {listed}: Terraform rejects this file"
