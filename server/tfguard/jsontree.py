"""JSON read with the offsets of every key and value, for ``.tf.json`` files and plans.

The standard library's parser gives values without positions; findings need to point at the
key or the value they are about. :func:`parse` returns a tree of :class:`JsonNode` (each with
its start and end offsets in the text) or raises :class:`JsonError` with the offset of the
first problem. Strings are decoded by the standard library's scanner, so escapes mean what
they mean to every other JSON reader.
"""

from __future__ import annotations

import json.decoder
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from json import JSONDecodeError
from typing import Any

MAX_DEPTH = 256  # arrays and objects nested deeper are rejected (no recursion blow-up)

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WORDS = {"true": True, "false": False, "null": None}
# The standard library's string scanner (its C version when available): (value, end offset).
_scanner: Any = json.decoder.scanstring  # type: ignore[attr-defined]
scanstring: Callable[[str, int, bool], tuple[str, int]] = _scanner


class JsonError(ValueError):
    """Text that is not JSON: the message and the offset it is about."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(slots=True, eq=False)
class JsonMember:
    """``"key": value`` in an object."""

    key: str
    key_start: int  # offset of the key's opening quote
    key_end: int  # offset just past its closing quote
    value: JsonNode


@dataclass(slots=True, eq=False)
class JsonNode:
    kind: str  # object, array, string, number, bool, null
    start: int  # offset of the first character
    end: int  # offset just past the last character
    value: Any = None  # str, int, float, bool or None for scalars
    items: list[JsonNode] = field(default_factory=list)  # an array's elements
    members: list[JsonMember] = field(default_factory=list)  # an object's members

    def get(self, key: str) -> JsonNode | None:
        """The value of an object's member ``key`` (the last one, like JSON readers)."""
        found: JsonNode | None = None
        for member in self.members:
            if member.key == key:
                found = member.value
        return found

    def member(self, key: str) -> JsonMember | None:
        found: JsonMember | None = None
        for member in self.members:
            if member.key == key:
                found = member
        return found

    def plain(self) -> Any:
        """The node as plain Python values (what ``json.loads`` would return)."""
        if self.kind == "object":
            return {m.key: m.value.plain() for m in self.members}
        if self.kind == "array":
            return [item.plain() for item in self.items]
        return self.value


def parse(text: str) -> JsonNode:
    """The JSON document ``text`` (a leading byte-order mark is skipped)."""
    start = 1 if text.startswith("\ufeff") else 0
    parser = _Parser(text)
    node, end = parser.value(parser.skip(start), 0)
    end = parser.skip(end)
    if end != len(text):
        raise JsonError("unexpected text after the JSON value", end)
    return node


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text

    def skip(self, pos: int) -> int:
        match = _SPACE.match(self.text, pos)
        return match.end() if match is not None else pos

    def value(self, pos: int, depth: int) -> tuple[JsonNode, int]:
        text = self.text
        if pos >= len(text):
            raise JsonError("unexpected end of the text: a value is missing", pos)
        ch = text[pos]
        if ch == "{":
            return self.object(pos, depth + 1)
        if ch == "[":
            return self.array(pos, depth + 1)
        if ch == '"':
            value, end = self.string(pos)
            return JsonNode("string", pos, end, value), end
        match = _NUMBER.match(text, pos)
        if match is not None:
            raw = match.group(0)
            number: int | float = float(raw) if match.group(1) or match.group(2) else int(raw)
            return JsonNode("number", pos, match.end(), number), match.end()
        for word, word_value in _WORDS.items():
            if text.startswith(word, pos):
                kind = "null" if word_value is None else "bool"
                return JsonNode(kind, pos, pos + len(word), word_value), pos + len(word)
        raise JsonError(f"unexpected character {ch!r}: a JSON value was expected", pos)

    def string(self, pos: int) -> tuple[str, int]:
        try:
            value, end = scanstring(self.text, pos + 1, True)
        except JSONDecodeError as err:
            message = err.msg.removesuffix(" at").lower()  # the position is ours to give
            raise JsonError(message, err.pos) from None
        return value, end

    def object(self, pos: int, depth: int) -> tuple[JsonNode, int]:
        if depth > MAX_DEPTH:
            raise JsonError(f"nested more than {MAX_DEPTH} levels deep", pos)
        node = JsonNode("object", pos, pos)
        text = self.text
        cursor = self.skip(pos + 1)
        if cursor < len(text) and text[cursor] == "}":
            node.end = cursor + 1
            return node, cursor + 1
        while True:
            if cursor >= len(text) or text[cursor] != '"':
                raise JsonError("expected a key in double quotes", cursor)
            key, key_end = self.string(cursor)
            colon = self.skip(key_end)
            if colon >= len(text) or text[colon] != ":":
                raise JsonError(f"expected ':' after the key {key!r}", colon)
            value, end = self.value(self.skip(colon + 1), depth)
            node.members.append(JsonMember(key, cursor, key_end, value))
            cursor = self.skip(end)
            if cursor < len(text) and text[cursor] == ",":
                cursor = self.skip(cursor + 1)
                continue
            if cursor < len(text) and text[cursor] == "}":
                node.end = cursor + 1
                return node, cursor + 1
            raise JsonError("expected ',' or '}' after an object member", cursor)

    def array(self, pos: int, depth: int) -> tuple[JsonNode, int]:
        if depth > MAX_DEPTH:
            raise JsonError(f"nested more than {MAX_DEPTH} levels deep", pos)
        node = JsonNode("array", pos, pos)
        text = self.text
        cursor = self.skip(pos + 1)
        if cursor < len(text) and text[cursor] == "]":
            node.end = cursor + 1
            return node, cursor + 1
        while True:
            item, end = self.value(cursor, depth)
            node.items.append(item)
            cursor = self.skip(end)
            if cursor < len(text) and text[cursor] == ",":
                cursor = self.skip(cursor + 1)
                continue
            if cursor < len(text) and text[cursor] == "]":
                node.end = cursor + 1
                return node, cursor + 1
            raise JsonError("expected ',' or ']' after an array element", cursor)


def raw_offsets(text: str, node: JsonNode) -> list[int]:
    """For a string node: the offset in ``text`` of each character of its decoded value
    (an escape sequence stands at the offset of its backslash), plus the offset of the
    closing quote at the end."""
    out: list[int] = []
    i = node.start + 1
    end = node.end - 1
    while i < end:
        out.append(i)
        if text[i] != "\\":
            i += 1
            continue
        if text[i + 1] == "u":
            code = int(text[i + 2 : i + 6], 16)
            i += 6
            if 0xD800 <= code < 0xDC00 and text.startswith("\\u", i):
                low = int(text[i + 2 : i + 6], 16)
                if 0xDC00 <= low < 0xE000:
                    i += 6  # a surrogate pair decodes to one character
        else:
            i += 2
    out.append(end)
    return out
