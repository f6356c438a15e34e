"""Fixes laid out as ``terraform fmt`` lays them out.

A rule builds its edits with :class:`tfguard.fixes.Editor`, which follows ``terraform fmt``
for the lines it writes. What an edit cannot see is how it moves the lines around it: a longer
name renamed into a run of aligned attributes (``password`` → ``password_wo``), a new argument
that joins a run whose ``=`` were not aligned, a deleted line that was the longest of its run.
:func:`realign` adds to a fix the whitespace changes that :mod:`tfguard.fmtmodel` makes on every
line the fix writes and on the run of ``=``-aligned lines around it, and nothing else: a
block indented with tabs keeps its indentation, and lines away from the fix are never touched.

The changes are folded into the fix's own edits where they fall inside text the fix writes, and
become small edits of the blanks of a line otherwise, so a fix stays as small as it was.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from tfguard import fmtmodel
from tfguard.document import ParsedFile
from tfguard.findings import Position, Range
from tfguard.fixes import Fix, FixError, TextEdit, apply_edits
from tfguard.module import Module
from tfguard.scanner import line_starts_of, scan

FORMATTED_SUFFIXES = (".tf", ".tofu", ".tfvars")


@dataclass(frozen=True, slots=True)
class _Segment:
    """A stretch of the new text: copied from the old text, or written by an edit."""

    new_start: int
    new_end: int
    old_start: int  # where it starts in the old text (for an edit: the replaced range)
    old_end: int
    edit: int  # index of the edit that wrote it, -1 when copied


def _offsets(text: str) -> list[int]:
    return list(line_starts_of(text))


def _offset(starts: list[int], text: str, p: Position) -> int:
    if p.line >= len(starts):
        return len(text)
    line_end = starts[p.line + 1] - 1 if p.line + 1 < len(starts) else len(text)
    return min(starts[p.line] + p.character, line_end)


def _position(starts: list[int], offset: int) -> Position:
    line = bisect.bisect_right(starts, offset) - 1
    return Position(line, offset - starts[line])


def _segments(text: str, starts: list[int], edits: Sequence[TextEdit]) -> list[_Segment]:
    """How the new text is made, in the order :func:`apply_edits` applies ``edits``."""
    spans = sorted(
        (
            (_offset(starts, text, e.range.start), _offset(starts, text, e.range.end), i)
            for i, e in enumerate(edits)
        ),
        key=lambda s: (s[0], s[1]),
    )
    out: list[_Segment] = []
    old = new = 0
    for start, end, index in spans:
        if start > old:
            out.append(_Segment(new, new + start - old, old, start, -1))
            new += start - old
        size = len(edits[index].new_text)
        out.append(_Segment(new, new + size, start, end, index))
        new += size
        old = end
    out.append(_Segment(new, new + len(text) - old, old, len(text), -1))
    return out


def _blank_changes(line: str, wanted: str) -> list[tuple[int, int, str]]:
    """The runs of blanks of ``line`` to replace (start, end, by) to get ``wanted``, which
    differs from it in blanks only."""
    out: list[tuple[int, int, str]] = []
    i = j = 0
    while i < len(line) or j < len(wanted):
        if i < len(line) and j < len(wanted) and line[i] == wanted[j] and line[i] not in " \t":
            i += 1
            j += 1
            continue
        i2, j2 = i, j
        while i2 < len(line) and line[i2] in " \t":
            i2 += 1
        while j2 < len(wanted) and wanted[j2] in " \t":
            j2 += 1
        if i2 == i and j2 == j:  # not a blank-only difference: leave the line alone
            return []
        if line[i:i2] != wanted[j:j2]:
            out.append((i, i2, wanted[j:j2]))
        i, j = i2, j2
    return out


def _touched_lines(segments: list[_Segment], new_starts: list[int]) -> set[int]:
    """Lines of the new text an edit wrote (or, for a deletion, the lines it joined)."""
    lines: set[int] = set()
    for seg in segments:
        if seg.edit < 0:
            continue
        first = _position(new_starts, seg.new_start).line
        last = _position(new_starts, max(seg.new_start, seg.new_end - 1)).line
        lines.update(range(first, last + 1))
        lines.add(_position(new_starts, seg.new_end).line)
        if seg.new_start == seg.new_end and first > 0:
            lines.add(first - 1)  # a deletion joins the lines around it
    return lines


def _wanted_lines(new: str, previous: ParsedFile | None, touched: set[int]) -> dict[int, str]:
    """New-text line → the text the model gives it, for the touched lines and their runs."""
    scanned = scan(new, previous.scan if previous is not None else None)
    lines = new.split("\n")
    items = [(item.first_line, item.last_line) for item in scanned.items]
    firsts = [first for first, _ in items]
    windows: set[tuple[int, int]] = set()
    for line in touched:
        k = bisect.bisect_right(firsts, line) - 1
        if k >= 0 and items[k][0] <= line <= items[k][1]:
            # With the items right next to it: a run of top-level attributes (a .tfvars
            # file) spans several items.
            lo = hi = k
            while lo > 0 and items[lo - 1][1] + 1 == items[lo][0]:
                lo -= 1
            while hi + 1 < len(items) and items[hi][1] + 1 == items[hi + 1][0]:
                hi += 1
            windows.add((items[lo][0], items[hi][1]))
        elif 0 <= line < len(lines):
            windows.add((line, line))
    wanted: dict[int, str] = {}
    for first, last in sorted(windows):
        window = "\n".join(lines[first : last + 1])
        formatted = fmtmodel.format_text(window).split("\n")
        # The lines the fix did not write keep their indentation; the ones it wrote are
        # indented as fmt indents them when the block is (not in a block indented with tabs
        # or four spaces, where fmt would move every line).
        kept = [k for k in range(last - first + 1) if first + k not in touched]
        tabs = any("\t" in _indent(lines[first + k]) for k in range(last - first + 1))
        if tabs or any(
            _indent(formatted[k].removesuffix("\r")) != _indent(lines[first + k].removesuffix("\r"))
            for k in kept
        ):
            formatted = fmtmodel.format_text(window, reindent=False).split("\n")
        for line in touched:
            if not first <= line <= last:
                continue
            for k in fmtmodel.run_of(window, line - first):
                target = formatted[k].removesuffix("\r")
                have = lines[first + k]
                if have.endswith("\r"):
                    target += "\r"
                if target != have:
                    wanted[first + k] = target
    return wanted


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))] if line.strip() else ""


@dataclass(frozen=True, slots=True)
class Region:
    """The whole lines of a file that a fix's edits fall in, widened to the top-level items
    they touch (and the items right next to those, for a run of top-level attributes):
    what a fix changes can be judged and laid out from this text alone."""

    first_line: int  # the region's first line in the file
    last_line: int
    old: str  # the region's text before the edits
    edits: tuple[TextEdit, ...]  # the edits, in lines counted from the region's first
    new: str  # the region's text after them

    def absolute(self, edit: TextEdit) -> TextEdit:
        """An edit of the region's text as an edit of the file."""
        return TextEdit(edit.path, edit.range.shifted(self.first_line), edit.new_text)


def edit_region(text: str, edits: Sequence[TextEdit], parsed: ParsedFile | None) -> Region | None:
    """The :class:`Region` of ``edits`` in ``text`` (``parsed`` is the file's parse, if any:
    its scan gives the items), ``None`` when the edits overlap."""
    scanned = parsed.scan if parsed is not None and parsed.text == text else scan(text)
    starts = list(scanned.line_starts)
    items = [(i.first_line, i.last_line) for i in scanned.items]
    firsts = [first for first, _ in items]
    last_line = len(starts) - 1
    lo = min(min(e.range.start.line, e.range.end.line) for e in edits)
    hi = max(max(e.range.start.line, e.range.end.line) for e in edits)
    lo, hi = max(0, min(lo, last_line)), max(0, min(hi, last_line))

    def item_of(line: int) -> int:
        k = bisect.bisect_right(firsts, line) - 1
        return k if k >= 0 and items[k][0] <= line <= items[k][1] else -1

    k = item_of(lo)
    if k >= 0:
        while k > 0 and items[k - 1][1] + 1 == items[k][0]:
            k -= 1
        lo = items[k][0]
    k = item_of(hi)
    if k >= 0:
        while k + 1 < len(items) and items[k][1] + 1 == items[k + 1][0]:
            k += 1
        hi = items[k][1]
    old_start = starts[lo]
    old_end = starts[hi + 1] - 1 if hi + 1 < len(starts) else len(text)
    old = text[old_start:old_end]
    relative = tuple(
        TextEdit(e.path, _within(e.range, lo, hi, len(old) - (old.rfind("\n") + 1)), e.new_text)
        for e in edits
    )
    try:
        new = apply_edits(old, relative)
    except FixError:
        return None
    return Region(lo, hi, old, relative, new)


def _within(r: Range, lo: int, hi: int, last_width: int) -> Range:
    """``r`` in lines counted from ``lo``; a position past line ``hi`` (the start of the line
    after it: a deletion of whole lines) becomes the end of the region."""

    def at(p: Position) -> Position:
        if p.line > hi:
            return Position(hi - lo, last_width)
        return Position(p.line - lo, p.character)

    return Range(at(r.start), at(r.end))


def _realigned_edits(
    text: str, edits: Sequence[TextEdit], previous: ParsedFile | None
) -> list[TextEdit] | None:
    """``edits`` of one file with the blank changes the model wants folded in (``None``:
    nothing to change), computed on the region the edits fall in."""
    region = edit_region(text, edits, previous)
    if region is None:
        return None
    if region.first_line == 0 and region.old == text:
        return _realigned_in(text, list(edits))
    inside = _realigned_in(region.old, list(region.edits))
    if inside is None:
        return None
    # The edits first (in their order), then the added blanks: back in the file's lines.
    out = [TextEdit(e.path, e.range, r.new_text) for e, r in zip(edits, inside, strict=False)]
    return out + [region.absolute(x) for x in inside[len(edits) :]]


def _realigned_in(text: str, edits: list[TextEdit]) -> list[TextEdit] | None:
    """:func:`_realigned_edits` on a text that is whole top-level items."""
    try:
        new = apply_edits(text, edits)
    except FixError:
        return None
    old_starts = _offsets(text)
    new_starts = _offsets(new)
    segments = _segments(text, old_starts, edits)
    wanted = _wanted_lines(new, None, _touched_lines(segments, new_starts))
    if not wanted:
        return None
    texts = [e.new_text for e in edits]
    extra: list[TextEdit] = []
    path = edits[0].path
    changes: list[tuple[int, int, str]] = []
    for line, target in wanted.items():
        line_start = new_starts[line]
        have = new[line_start : (new_starts[line + 1] - 1 if line + 1 < len(new_starts) else None)]
        for start, end, blanks in _blank_changes(have, target):
            changes.append((line_start + start, line_start + end, blanks))
    # Right to left: a change inside an edit's text leaves the offsets before it valid.
    for a, b, blanks in sorted(changes, reverse=True):
        holders = [s for s in segments if s.new_start <= a and b <= s.new_end]
        if not holders:
            return None  # a run of blanks across an edit's boundary: left as written
        seg = next((s for s in holders if s.edit >= 0), holders[0])
        if seg.edit >= 0:
            offset = a - seg.new_start
            old = texts[seg.edit]
            texts[seg.edit] = old[:offset] + blanks + old[offset + (b - a) :]
        else:
            old_a = seg.old_start + (a - seg.new_start)
            old_b = old_a + (b - a)
            span = Range(_position(old_starts, old_a), _position(old_starts, old_b))
            extra.append(TextEdit(path, span, blanks))
    out = [TextEdit(e.path, e.range, t) for e, t in zip(edits, texts, strict=True)]
    return out + extra


def realign(module: Module, fix: Fix) -> Fix:
    """``fix`` with the blanks around the lines it writes laid out as ``terraform fmt`` lays
    them out (the fix itself when nothing needs to move)."""
    by_path: dict[str, list[TextEdit]] = {}
    for edit in fix.edits:
        by_path.setdefault(edit.path, []).append(edit)
    changed = False
    edits: list[TextEdit] = []
    for path, file_edits in by_path.items():
        previous = module.files.get(path)
        if not path.endswith(FORMATTED_SUFFIXES) or (previous is not None and previous.binary):
            edits.extend(file_edits)
            continue
        text = previous.text if previous is not None else ""
        realigned = _realigned_edits(text, file_edits, previous)
        if realigned is None:
            edits.extend(file_edits)
            continue
        edits.extend(realigned)
        changed = True
    if not changed:
        return fix
    return Fix(fix.title, tuple(edits), fix.applicability, fix.consequence)


def relaid(path: str, before: str, after: str, previous: ParsedFile | None = None) -> str:
    """``after`` (``before`` changed by several fixes) with the lines they changed laid out as
    :func:`realign` lays out one fix's: what fixes applied together need (each was aligned
    against the text before the others)."""
    if before == after or not path.endswith(FORMATTED_SUFFIXES):
        return after
    old = before.split("\n")
    new = after.split("\n")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    edits: list[TextEdit] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # Whole lines, the line break before them included, so that an insertion at the end
        # of the text needs no line after it.
        if i1 > 0:
            start = Position(i1 - 1, len(old[i1 - 1]))
            end = Position(i2 - 1, len(old[i2 - 1])) if i2 > i1 else start
            text = "".join("\n" + line for line in new[j1:j2])
        else:
            start = Position(0, 0)
            end = Position(i2, 0) if i2 < len(old) else Position(i2 - 1, len(old[i2 - 1]))
            text = "".join(line + "\n" for line in new[j1:j2])
            if i2 >= len(old):
                text = text[:-1]
        edits.append(TextEdit(path, Range(start, end), text))
    if not edits:
        return after
    realigned = _realigned_edits(before, edits, previous)
    if realigned is None:
        return after
    try:
        return apply_edits(before, realigned)
    except FixError:
        return after
