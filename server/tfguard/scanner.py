"""Split HCL text into top-level item spans, and find its comments and heredocs.

The scanner understands exactly as much HCL as it needs to know where a top-level block or
attribute ends: brackets, quoted strings with ``${ }`` / ``%{ }`` nesting and escapes,
heredocs (a ``}`` inside one is text) and the three comment forms. It runs on regular
expressions so that a 5,000-line file is scanned in a few milliseconds on every keystroke.

A block whose braces are still open at the end of the file does not swallow the rest: the
scanner ends it before the next line that starts, at column 0, with a top-level keyword.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import add

TOP_LEVEL_KEYWORDS = (
    "resource",
    "data",
    "ephemeral",
    "module",
    "variable",
    "output",
    "locals",
    "provider",
    "terraform",
    "moved",
    "import",
    "removed",
    "check",
)

_KEYWORD_LINE = re.compile("^(?:" + "|".join(TOP_LEVEL_KEYWORDS) + r")(?=[ \t\"{])", re.M)
_HEREDOC_START = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*\r?\n")
# Outside an item: comment starts, or the first character of an item.
_OUTSIDE = re.compile(r"#|//|/\*|[^\s]")
# Inside an item, in code: everything that changes the scanner's state.
_CODE = re.compile(r"\n|[{\[(]|[}\])]|\"|#|//|/\*|<<-?[A-Za-z_]")
# The same inside brackets, where a newline changes nothing.
_CODE_NESTED = re.compile(r"[{\[(]|[}\])]|\"|#|//|/\*|<<-?[A-Za-z_]")
# Inside a quoted string.
_STRING = re.compile(r"\\.|\$\$\{|%%\{|[$%]\{|\"|\n", re.S)

_OPENERS = {"{": "}", "[": "]", "(": ")"}
_INTERP = "interp"  # a ``${`` / ``%{`` open inside a string: closed by ``}``


@dataclass(frozen=True, slots=True)
class Comment:
    start: int  # offset of the comment marker
    end: int  # offset just past the comment (the newline of a line comment is not part of it)
    text: str

    @property
    def is_block(self) -> bool:
        return self.text.startswith("/*")


@dataclass(frozen=True, slots=True)
class Item:
    """One top-level block or attribute: whole lines ``first_line``..``last_line``."""

    first_line: int
    last_line: int
    start: int  # offset of the first line's first character
    end: int  # offset of the end of the last line (before its newline)
    unclosed: bool  # braces were still open: the item was cut at a recovery point


@dataclass(frozen=True, slots=True)
class Heredoc:
    start: int  # offset of ``<<``
    end: int  # offset just past the closing marker line (or the end of text when unclosed)
    marker_line_start: int  # offset of the closing marker line, -1 when unclosed
    marker_line_end: int  # offset of that line's end (before ``\r\n`` / ``\n``)


@dataclass(frozen=True, slots=True)
class ScanResult:
    text: str
    line_starts: tuple[int, ...]
    items: tuple[Item, ...]
    comments: tuple[Comment, ...]
    heredocs: tuple[Heredoc, ...]
    unterminated: tuple[int, ...]  # offsets of opening quotes whose string runs into a newline

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1


def line_starts_of(text: str) -> tuple[int, ...]:
    """The offset where each line starts (lines end with ``\n``; a ``\r`` stays in its line)."""
    lengths = accumulate(map(len, text.split("\n")), initial=0)
    # Line i starts after the i previous lines and their i newlines.
    return tuple(map(add, lengths, range(text.count("\n") + 1)))


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = line_starts_of(text)
        self.comments: list[Comment] = []
        self.heredocs: list[Heredoc] = []
        self.unterminated: list[int] = []
        self.items: list[Item] = []
        # Where the last unclosed item was cut: an item starting there is likely unclosed too,
        # and its scan records what :meth:`_unclosed_run` needs.
        self.resumed_at = -1
        # Offsets covered by closed heredocs and block comments: never a recovery point.
        self.protected: list[tuple[int, int]] = []

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_end(self, line: int) -> int:
        last = line + 1 >= len(self.line_starts)
        end = len(self.text) if last else self.line_starts[line + 1] - 1
        if end > self.line_starts[line] and self.text[end - 1] == "\r":
            end -= 1
        return end

    def run(self, pos: int = 0, old: ScanResult | None = None, old_from: int = 0) -> ScanResult:
        """Scan from ``pos``. With ``old``, the scan of an earlier version of the text, stop at
        the first item that starts on a line at or after ``old_from`` (in old offsets) where an
        old item started, and take the rest of the old scan, shifted."""
        delta = len(self.text) - (len(old.text) if old is not None else 0)
        old_starts = {i.start: n for n, i in enumerate(old.items)} if old is not None else {}
        while True:
            pos = self._scan_outside(pos)
            if pos >= len(self.text):
                break
            if old is not None:
                line_start = self.line_starts[self.line_of(pos)]
                index = old_starts.get(line_start - delta)
                # From here on the text is the old text: the old scan holds if both scans were
                # outside any item and comment at this line's start (an item's span starts at
                # its line's start even when a block comment ends on that line before it).
                if (
                    index is not None
                    and line_start - delta >= old_from
                    and not _in_block_comment(self.comments, line_start)
                    and not _in_block_comment(old.comments, line_start - delta)
                ):
                    self._take_tail(old, index, pos - delta, delta)
                    break
            pos = self._scan_item(pos)
        return ScanResult(
            self.text,
            self.line_starts,
            tuple(self.items),
            tuple(self.comments),
            tuple(self.heredocs),
            tuple(self.unterminated),
        )

    def _take_tail(self, old: ScanResult, index: int, old_pos: int, delta: int) -> None:
        lines = len(self.line_starts) - len(old.line_starts)
        for i in old.items[index:]:
            self.items.append(
                Item(
                    i.first_line + lines,
                    i.last_line + lines,
                    i.start + delta,
                    i.end + delta,
                    i.unclosed,
                )
            )
        for c in old.comments:
            if c.start >= old_pos:
                self.comments.append(Comment(c.start + delta, c.end + delta, c.text))
                if c.is_block:
                    self.protected.append((c.start + delta, c.end + delta))
        for h in old.heredocs:
            if h.start >= old_pos:
                closed = h.marker_line_start >= 0
                self.heredocs.append(
                    Heredoc(
                        h.start + delta,
                        h.end + delta,
                        h.marker_line_start + delta if closed else -1,
                        h.marker_line_end + delta if closed else -1,
                    )
                )
                if closed:
                    self.protected.append((h.start + delta, h.end + delta))
        self.unterminated.extend(u + delta for u in old.unterminated if u >= old_pos)

    def _line_comment(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        if end < 0:
            end = len(self.text)
        stop = end - 1 if end > pos and self.text[end - 1] == "\r" else end
        self.comments.append(Comment(pos, stop, self.text[pos:stop]))
        return end

    def _block_comment(self, pos: int) -> int:
        end = self.text.find("*/", pos + 2)
        end = len(self.text) if end < 0 else end + 2
        self.comments.append(Comment(pos, end, self.text[pos:end]))
        self.protected.append((pos, end))
        return end

    def _scan_outside(self, pos: int) -> int:
        """Skip blank space and comments; return the offset of the next item or the end."""
        text = self.text
        while True:
            m = _OUTSIDE.search(text, pos)
            if m is None:
                return len(text)
            tok = m.group()
            if tok == "#" or tok == "//":
                pos = self._line_comment(m.start())
            elif tok == "/*":
                pos = self._block_comment(m.start())
            else:
                return m.start()

    def _heredoc(self, pos: int) -> int | None:
        """At ``<<``: if a heredoc starts here, skip its body and return the offset after it."""
        m = _HEREDOC_START.match(self.text, pos)
        if m is None:
            return None
        marker = re.escape(m.group(2))
        closing = re.compile(r"^[ \t]*" + marker + r"[ \t]*\r?$", re.M)
        c = closing.search(self.text, m.end())
        if c is None:
            self.heredocs.append(Heredoc(pos, len(self.text), -1, -1))
            return len(self.text)
        line_end = c.end() - 1 if c.group().endswith("\r") else c.end()
        end = c.end() + 1 if c.end() < len(self.text) else c.end()
        self.heredocs.append(Heredoc(pos, end, c.start(), line_end))
        self.protected.append((pos, end))
        return end

    def _scan_item(self, start: int) -> int:
        """Scan one item starting at ``start``; return the offset where scanning continues."""
        text = self.text
        # The offset of every token that opens or closes something, and the depth after it.
        record: list[int] | None = [] if start == self.resumed_at else None
        stack: list[str] = []
        quotes: list[int] = []
        pos = start
        first_line = self.line_of(start)
        while True:
            if stack and stack[-1] == '"':
                m = _STRING.search(text, pos)
                if m is None:
                    pos = len(text)
                    break
                tok = m.group()
                pos = m.end()
                if tok == '"':
                    stack.pop()
                    quotes.pop()
                elif tok == "\n":
                    # Quoted strings cannot span lines: a half-typed string ends here.
                    stack.pop()
                    self.unterminated.append(quotes.pop())
                    pos = m.start()
                elif tok in ("${", "%{"):
                    stack.append(_INTERP)
                else:
                    continue
                if record is not None:
                    record += (m.start(), len(stack))
                continue
            m = (_CODE_NESTED if stack else _CODE).search(text, pos)
            if m is None:
                pos = len(text)
                break
            tok = m.group()
            pos = m.end()
            if tok == "\n":
                if not stack:
                    pos = m.start()
                    break
            elif tok in _OPENERS:
                stack.append(tok)
                if record is not None:
                    record += (m.start(), len(stack))
            elif tok in ")]}":
                if stack and (stack[-1] in _OPENERS or stack[-1] == _INTERP):
                    stack.pop()
                    if record is not None:
                        record += (m.start(), len(stack))
                # A stray closer belongs to this item; the parser reports it.
            elif tok == '"':
                stack.append('"')
                quotes.append(m.start())
                if record is not None:
                    record += (m.start(), len(stack))
            elif tok == "#" or tok == "//":
                pos = self._line_comment(m.start())
            elif tok == "/*":
                pos = self._block_comment(m.start())
            else:  # "<<" followed by a letter
                after = self._heredoc(m.start())
                if after is not None:
                    pos = after
                    if pos >= len(text):
                        break
                    # The heredoc consumed its closing line's newline: an item at depth 0
                    # ends there.
                    if not stack:
                        pos -= 1 if text[pos - 1] == "\n" else 0
                        break
                else:
                    pos = m.start() + 2
        end_offset = min(pos, len(text))
        if stack and end_offset >= len(text):
            cut = self._recovery_point(start)
            if cut is not None:
                self._add_item(first_line, self.line_of(cut) - 1, unclosed=True)
                resume = cut if record is None else self._unclosed_run(start, record)
                self._forget_after(resume)
                self.resumed_at = resume
                return resume
            self._add_item(first_line, self.line_of(end_offset), unclosed=True)
            return len(text)
        last_line = self.line_of(max(end_offset - 1, start)) if end_offset > start else first_line
        self._add_item(first_line, last_line, unclosed=False)
        return end_offset

    def _add_item(self, first_line: int, last_line: int, *, unclosed: bool) -> None:
        last_line = max(first_line, last_line)
        if self.items and self.items[-1].last_line >= first_line:
            # Two items share a line: keep them as one span (the parser reports the mess).
            prev = self.items.pop()
            first_line = prev.first_line
            unclosed = unclosed or prev.unclosed
        self.items.append(
            Item(
                first_line,
                last_line,
                self.line_starts[first_line],
                self.line_end(last_line),
                unclosed,
            )
        )

    def _is_protected(self, offset: int) -> bool:
        # ``protected`` is sorted, and its spans do not overlap.
        before = bisect.bisect_left(self.protected, (offset,)) - 1
        return before >= 0 and self.protected[before][1] > offset

    def _recovery_points(self, start: int) -> Iterator[int]:
        """The lines after ``start``'s line that begin with a top-level keyword."""
        line = self.line_of(start) + 1
        if line >= len(self.line_starts):
            return
        for m in _KEYWORD_LINE.finditer(self.text, self.line_starts[line]):
            if not self._is_protected(m.start()):
                yield m.start()

    def _recovery_point(self, start: int) -> int | None:
        """The first line after ``start``'s line that begins with a top-level keyword."""
        return next(self._recovery_points(start), None)

    def _unclosed_run(self, start: int, record: list[int]) -> int:
        """The item at ``start`` is never closed, and was cut at its first recovery point.
        Add the unclosed items that scanning on from there would find, as far as they can be
        read off ``record`` (this item's scan); return the offset where scanning must go on
        (the end of the text when it need not).

        An item scanned from a recovery point ``r`` sees what this item's scan sees from
        ``r`` on, with this item's depth at ``r`` less: while this item's depth stays above
        that (after ``r``'s line; without going under it on that line), the other item never
        closes either, and is cut at the next recovery point. Without this, each of n
        unclosed blocks would be scanned to the end of the text: quadratic time."""
        text = self.text
        # Past the start of a heredoc or block comment left open, scans from a later line
        # would see code where this one saw text.
        reliable = len(text)
        if self.heredocs and self.heredocs[-1].marker_line_start < 0:
            reliable = self.heredocs[-1].start
        last = self.comments[-1] if self.comments else None
        if last is not None and last.is_block and not _closed_comment(last.text):
            reliable = min(reliable, last.start)
        points = self._recovery_points(start)
        point: int | None = next(points)  # where this item was cut
        offsets, depths = record[0::2], record[1::2]
        # lowest[i]: the smallest depth after token i or any later one.
        lowest = list(accumulate(reversed(depths), min, initial=len(text) + 1))[::-1]
        while point is not None:
            if point >= reliable:
                return point
            line_end = text.find("\n", point)
            line_end = len(text) if line_end < 0 else line_end
            first = bisect.bisect_left(offsets, point)
            after_line = bisect.bisect_right(offsets, line_end)
            depth = depths[first - 1] if first else 0
            at_line_end = depths[after_line - 1] if after_line else 0
            # (A heredoc opened on that line runs on from its end, where the depth is above.)
            if (
                at_line_end <= depth
                or min(depths[first:after_line], default=depth) < depth
                or lowest[after_line] <= depth
            ):
                return point
            following = next(points, None)
            if following is None:
                self._add_item(self.line_of(point), self.line_of(len(text)), unclosed=True)
                return len(text)
            self._add_item(self.line_of(point), self.line_of(following) - 1, unclosed=True)
            point = following
        return len(text)

    def _forget_after(self, offset: int) -> None:
        """Drop what the unclosed item's scan recorded past the recovery point."""
        self.comments = [c for c in self.comments if c.start < offset]
        self.heredocs = [h for h in self.heredocs if h.start < offset]
        self.unterminated = [u for u in self.unterminated if u < offset]
        self.protected = [p for p in self.protected if p[0] < offset]


def _common_prefix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _in_block_comment(comments: Sequence[Comment], offset: int) -> bool:
    """Whether ``offset`` is inside one of ``comments`` (sorted by their start)."""
    before = bisect.bisect_left(comments, offset, key=lambda c: c.start) - 1
    return before >= 0 and comments[before].is_block and comments[before].end > offset


def _closed_comment(text: str) -> bool:
    return len(text) >= 4 and text.endswith("*/")


def scan(text: str, previous: ScanResult | None = None) -> ScanResult:
    """Scan ``text``; with the scan of an earlier version, rescan only what the edit touched."""
    scanner = _Scanner(text)
    if (
        previous is None
        or not previous.items
        or any(i.unclosed for i in previous.items)
        # A heredoc without its closing marker, or a block comment without its ``*/``, runs to
        # the end of the text: whatever is typed after its item, even on a later line,
        # belongs to it, so no item of the old scan can be kept as it was.
        or any(h.marker_line_start < 0 for h in previous.heredocs)
        or any(c.is_block and not _closed_comment(c.text) for c in previous.comments)
    ):
        return scanner.run()
    old = previous.text
    if old == text:
        return previous
    prefix = _common_prefix(old, text)
    suffix = _common_suffix(old, text, min(len(old), len(text)) - prefix)
    changed_line = previous.line_of(prefix)
    kept = [i for i in previous.items if i.last_line < changed_line]
    # Items end at a line's end, so the scan can resume at the next line's start.
    restart = previous.line_starts[kept[-1].last_line + 1] if kept else 0
    scanner.items = list(kept)
    scanner.comments = [c for c in previous.comments if c.start < restart]
    scanner.heredocs = [h for h in previous.heredocs if h.start < restart]
    scanner.protected = [(h.start, h.end) for h in scanner.heredocs if h.marker_line_start >= 0]
    scanner.protected += [(c.start, c.end) for c in scanner.comments if c.is_block]
    scanner.protected.sort()
    scanner.unterminated = [u for u in previous.unterminated if u < restart]
    return scanner.run(restart, previous, len(old) - suffix)
