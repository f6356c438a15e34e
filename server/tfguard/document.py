"""One file's text → top-level items parsed (cached by their text) and placed, plus comments.

Only the items whose text changed since the last analysis are parsed again: the parse and the
model of an item are cached by the item's text, so an edit re-parses one block and a block that
moved (lines inserted above it) is a cache hit.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from cachetools import LRUCache

from tfguard import encoding, hclparse
from tfguard.findings import Position, Range
from tfguard.scanner import Comment, Heredoc, Item, ScanResult, scan
from tfguard.syntax import Attribute, Block, Placed, TopLevel
from tfguard.syntax_builder import SyntaxBuilder

BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """The cached result for one item's text: its model, or why it does not parse."""

    nodes: tuple[TopLevel, ...]
    problem: hclparse.SyntaxProblem | None
    size: int = 0  # the length of the item's text, by which the cache weighs it


@dataclass(frozen=True, slots=True)
class Problem:
    range: Range
    message: str


@dataclass(frozen=True, slots=True)
class CommentAt:
    range: Range
    text: str


# The parse cache weighs an item by the length of its text (its model takes about 36 bytes a
# character), and at least 1/8192 of the whole, so that it holds at most 8,192 small items: a
# large block edited again and again keeps a few versions, not one per keystroke. Each file
# keeps its own items besides (ParsedFile.parsed_items, what the next version reuses), so this
# only serves texts seen again later (an undo, a file opened again): a few hundred versions of
# blocks, not a growing share of a long session's memory.
MAX_CACHED_CHARS = 100_000
_MIN_WEIGHT = MAX_CACHED_CHARS // 8192


def _weight(item: ParsedItem) -> int:
    return max(item.size, _MIN_WEIGHT)


_cache: LRUCache[str, ParsedItem] = LRUCache(maxsize=MAX_CACHED_CHARS, getsizeof=_weight)
_cache_lock = threading.Lock()
_stats = {"hits": 0, "misses": 0}


def cache_stats() -> dict[str, int]:
    return dict(_stats)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
        _stats["hits"] = _stats["misses"] = 0


class ParsedFile:
    def __init__(
        self,
        path: str,
        text: str,
        previous: ParsedFile | None = None,
        replaced: Mapping[int, bytes] | None = None,
    ) -> None:
        """Parse ``text``; ``previous`` (an earlier version of the same file) lets the scanner
        rescan only the lines an edit touched, and hands over its parsed items. ``replaced``:
        the bytes that the text's U+FFFD characters stand for, when known (see
        :mod:`tfguard.encoding`)."""
        self.path = path
        self.text = text
        self.replaced = replaced
        # NUL bytes, invalid UTF-8, a binary file: Terraform rejects them (a binary file is
        # not analysed further).
        bad = encoding.problems(text, replaced)
        binary = self.binary = bool(bad) and encoding.is_binary(text)
        previous_scan = previous.scan if previous is not None and not binary else None
        self.scan: ScanResult = scan("" if binary else text, previous_scan)
        self.items: list[Placed] = []
        self.problems: list[Problem] = []
        # The previous version's items by text: a plain dict is cheaper than the shared LRU,
        # which is consulted only for the items an edit changed.
        known = previous.parsed_items if previous is not None else {}
        self.parsed_items: dict[str, ParsedItem] = {}
        for item in self.scan.items:
            span = text[item.start : item.end]
            parsed = known.get(span) or _parse_item(span, self.scan, item.start)
            self.parsed_items[span] = parsed
            for node in parsed.nodes:
                self.items.append(Placed(node, path, item.first_line))
            if parsed.problem is not None:
                self.problems.append(self._problem(item, parsed.problem))
        self.comments = [self._comment(c) for c in self.scan.comments]
        self.encoding_problems = [
            Problem(Range(Position(b.line, b.column), Position(b.line, b.column + 1)), b.message)
            for b in bad
        ]

    @property
    def line_starts(self) -> tuple[int, ...]:
        return self.scan.line_starts

    def line_text(self, line: int) -> str:
        starts = self.scan.line_starts
        if line < 0 or line >= len(starts) or self.binary:
            return ""
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(self.text)
        return self.text[starts[line] : end].rstrip("\r")

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.scan.line_starts, offset) - 1
        return Position(line, offset - self.scan.line_starts[line])

    def blocks(self) -> list[tuple[Placed, Block]]:
        return [(p, p.node) for p in self.items if isinstance(p.node, Block)]

    def attributes(self) -> list[tuple[Placed, Attribute]]:
        return [(p, p.node) for p in self.items if isinstance(p.node, Attribute)]

    def _comment(self, c: Comment) -> CommentAt:
        return CommentAt(Range(self.position(c.start), self.position(c.end)), c.text)

    def _problem(self, item: Item, p: hclparse.SyntaxProblem) -> Problem:
        first_line = item.first_line
        quotes = [u for u in self.scan.unterminated if item.start <= u < item.end]
        if p.limit:
            quotes = []  # not parsed at all: the scanner's guesses do not explain why
        if quotes:
            at = self.position(quotes[0])
            text = self.line_text(at.line)
            return Problem(
                Range(at, Position(at.line, max(len(text), at.character + 1))),
                "unterminated string: the closing '\"' is missing on this line",
            )
        if item.unclosed and not p.limit:
            line = first_line
            text = self.line_text(line)
            start = len(text) - len(text.lstrip())
            return Problem(
                Range(Position(line, start), Position(line, max(len(text), start + 1))),
                "this block is never closed: a '}' is missing before the next block",
            )
        line = first_line + p.line
        text = self.line_text(line)
        column = min(p.column, len(text))
        end = len(text) if column < len(text) else column + 1
        return Problem(Range(Position(line, column), Position(line, end)), p.message)


def _parse_item(span: str, scanned: ScanResult, offset: int) -> ParsedItem:
    with _cache_lock:
        cached = _cache.get(span)
    if cached is not None:
        _stats["hits"] += 1
        return cached
    _stats["misses"] += 1
    prepared = prepare_for_parser(span, scanned, offset)
    end = offset + len(span)
    heredocs = [
        (h.start - offset, h.end - offset)
        for h in _between(scanned.heredocs, offset, end)
        if h.marker_line_start >= 0 and h.end <= end
    ]
    tree = hclparse.parse(prepared, heredocs)
    size = len(span)
    if isinstance(tree, hclparse.SyntaxProblem):
        result = ParsedItem((), tree, size)
    else:
        try:
            result = ParsedItem(tuple(SyntaxBuilder(span).start(tree)), None, size)
        except hclparse.LimitExceeded as err:
            result = ParsedItem((), err.problem, size)
        except RecursionError:
            # Nesting within the limit, but across heredoc interpolations parsed on their own.
            problem = hclparse.SyntaxProblem(0, 0, hclparse.NESTED_TOO_DEEPLY, limit=True)
            result = ParsedItem((), problem, size)
        except (ValueError, IndexError, AssertionError) as err:
            problem = hclparse.SyntaxProblem(0, 0, f"cannot read this block: {err}")
            result = ParsedItem((), problem, size)
    if size <= MAX_CACHED_CHARS:  # a larger text (refused by the parser) is not kept
        with _cache_lock:
            _cache[span] = result
    return result


def prepare_for_parser(span: str, scanned: ScanResult, offset: int) -> str:
    """Neutralise what python-hcl2 gets wrong, keeping every offset where it was.

    - comments are blanked (the parser rejects ``a = /* c */ 1``; suppressions are read from
      the scanner's comment list instead);
    - a heredoc's closing marker with trailing blanks has them moved in front of the marker:
      HCL accepts such a marker, while python-hcl2 would swallow everything up to the next one;
    - a leading byte-order mark becomes a space, and so do NUL and U+FFFD (what stands for
      bytes that were not UTF-8), reported as such by :mod:`tfguard.encoding`.
    """
    chars: list[str] | None = None
    end = offset + len(span)

    def edit() -> list[str]:
        nonlocal chars
        if chars is None:
            chars = list(span)
        return chars

    if span.startswith(BOM):
        edit()[0] = " "
    for bad in encoding.BAD_CHARACTER.finditer(span):
        edit()[bad.start()] = " "
    for c in _between(scanned.comments, offset, end):
        buf = edit()
        for i in range(c.start - offset, min(c.end, end) - offset):
            if buf[i] not in "\r\n":
                buf[i] = " "
    for h in _between(scanned.heredocs, offset, end):
        if h.marker_line_start < 0 or h.marker_line_end > end:
            continue
        line = span[h.marker_line_start - offset : h.marker_line_end - offset]
        stripped = line.rstrip(" \t")
        if stripped != line:
            moved = line[len(stripped) :] + stripped
            buf = edit()
            start = h.marker_line_start - offset
            buf[start : start + len(line)] = list(moved)
    return span if chars is None else "".join(chars)


_Span = TypeVar("_Span", Comment, Heredoc)


def _between(items: tuple[_Span, ...], start: int, end: int) -> list[_Span]:
    starts = [i.start for i in items]
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    return list(items[lo:hi])
