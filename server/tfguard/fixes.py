"""Quick fixes: minimal text edits computed from the syntax model's ranges.

A fix never re-prints a file: it replaces or inserts text at exact places, keeps the user's
indentation and comments, and follows ``terraform fmt``'s layout for what it adds (two-space
indentation, ``=`` aligned with the neighbouring attributes).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from tfguard.document import ParsedFile
from tfguard.findings import Finding, Position, Range
from tfguard.module import Entity, Module
from tfguard.scanner import line_starts_of
from tfguard.syntax import Attribute, Block


@dataclass(frozen=True, slots=True)
class TextEdit:
    path: str
    range: Range  # code points, like every engine position
    new_text: str


Applicability = Literal["safe", "unsafe", "display"]
APPLICABILITIES: tuple[Applicability, ...] = ("safe", "unsafe", "display")


@dataclass(frozen=True, slots=True, init=False)
class Fix:
    """Edits that remove a finding, and how far they may be trusted:

    - ``"safe"``: nothing changes beyond the finding going away (encryption with a new key
      variable, ``sensitive = true``, a version pinned to what is installed). ``tfguard fix``
      and the editor's fix-all apply the first safe fix of a finding; the editor marks it
      preferred.
    - ``"unsafe"``: it changes what the infrastructure does or may break a working system
      (narrowing a CIDR, removing a rule, replacing a resource, resetting a password).
      Applied only by ``tfguard fix --unsafe-fixes``; the editor offers it with
      ``consequence`` in its title.
    - ``"display"``: shown in the editor (to apply by hand), never applied by ``tfguard fix``
      or fix-all, even with ``--unsafe-fixes``: an irreversible change, or one that needs a
      decision no default can make.

    ``preferred=`` (a bool) is still accepted in place of ``applicability`` (``True`` is
    safe, ``False`` unsafe), for rules written before applicability existed.
    """

    title: str
    edits: tuple[TextEdit, ...]
    applicability: Applicability
    # What an unsafe fix changes ("clients outside the VPC lose access"), for its title.
    consequence: str

    def __init__(
        self,
        title: str,
        edits: tuple[TextEdit, ...],
        applicability: Applicability | bool = "unsafe",
        consequence: str = "",
        *,
        preferred: bool | None = None,
    ) -> None:
        if preferred is not None:
            applicability = preferred
        if isinstance(applicability, bool):
            applicability = "safe" if applicability else "unsafe"
        if applicability not in APPLICABILITIES:
            raise ValueError(f"unknown fix applicability {applicability!r}")
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "edits", tuple(edits))
        object.__setattr__(self, "applicability", applicability)
        object.__setattr__(self, "consequence", consequence)

    @property
    def paths(self) -> set[str]:
        return {e.path for e in self.edits}

    @property
    def preferred(self) -> bool:
        """Safe to apply unattended (of several safe fixes, tools apply the first)."""
        return self.applicability == "safe"

    @property
    def shown_title(self) -> str:
        """The title an editor shows: an unsafe fix says what it changes, a display-only one
        that it needs review."""
        if self.applicability == "safe":
            return self.title
        label = "unsafe" if self.applicability == "unsafe" else "review by hand"
        what = self.consequence or ("changes behaviour" if label == "unsafe" else "")
        if not what or what.lower() in self.title.lower():
            return f"{self.title} \N{EM DASH} {label}"
        return f"{self.title} \N{EM DASH} {label}: {what}"


def preferred_index(fixes: Sequence[Fix]) -> int | None:
    """Where the fix tools apply unattended (the first safe one) is in ``fixes``."""
    return next((i for i, fix in enumerate(fixes) if fix.applicability == "safe"), None)


def first_applicable(fixes: Iterable[Fix], unsafe: bool = False) -> Fix | None:
    """The fix a tool applies: the first safe one; with ``unsafe``, else the first unsafe one.
    Display-only fixes are never applied."""
    candidates = list(fixes)
    for fix in candidates:
        if fix.applicability == "safe":
            return fix
    if unsafe:
        for fix in candidates:
            if fix.applicability == "unsafe":
                return fix
    return None


class FixError(Exception):
    """Edits that overlap or fall outside the text."""


def entity_for(module: Module, finding: Finding) -> Entity | None:
    """The top-level block a finding belongs to."""
    best: Entity | None = None
    for entity in module.entities:
        if entity.path != finding.path:
            continue
        if entity.abs(entity.block.range).contains(finding.range):
            best = entity
    return best


def block_at(module: Module, finding: Finding) -> tuple[Entity, Block] | None:
    """The (nested) block whose header a finding is anchored on."""
    entity = entity_for(module, finding)
    if entity is None:
        return None
    for block in entity.block.walk_blocks():
        if entity.abs(block.header_range) == finding.range:
            return entity, block
    return None


def attribute_at(module: Module, finding: Finding) -> tuple[Entity, Block, Attribute] | None:
    """The attribute a finding is anchored on, with the block that holds it."""
    entity = entity_for(module, finding)
    if entity is None:
        return None
    for block in entity.block.walk_blocks():
        for attr in block.attributes.values():
            if entity.abs(attr.range) == finding.range:
                return entity, block, attr
    return None


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """Apply non-overlapping edits of one file (ranges in code points)."""
    starts = line_starts_of(text)

    def offset(p: Position) -> int:
        if p.line >= len(starts):
            return len(text)
        line_end = starts[p.line + 1] - 1 if p.line + 1 < len(starts) else len(text)
        return min(starts[p.line] + p.character, line_end)

    # Stable: insertions at one place keep the order they were given in.
    spans = sorted(
        ((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits),
        key=lambda span: (span[0], span[1]),
    )
    out: list[str] = []
    pos = 0
    for start, end, new in spans:
        if start < pos:
            raise FixError("overlapping edits")
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


class Editor:
    """Builds edits for one module, reading indentation and layout from the files' text."""

    def __init__(self, module: Module) -> None:
        self.module = module

    def file(self, entity: Entity) -> ParsedFile:
        return self.module.files[entity.path]

    def line(self, entity: Entity, line: int) -> str:
        return self.file(entity).line_text(line)

    def indent_of(self, entity: Entity, line: int) -> str:
        text = self.line(entity, line)
        return text[: len(text) - len(text.lstrip(" \t"))]

    def eol(self, entity: Entity) -> str:
        return "\r\n" if "\r\n" in self.file(entity).text else "\n"

    def indent_unit(self, entity: Entity) -> str:
        """One level of indentation in the entity's block: two spaces unless the block is
        indented with tabs or another width."""
        block = entity.block
        first = entity.abs(block.range).start.line
        base = self.indent_of(entity, first)
        starts = [entity.abs(a.range).start.line for a in block.attributes.values()]
        starts += [entity.abs(b.range).start.line for b in block.blocks]
        for line in sorted(starts):
            indent = self.indent_of(entity, line)
            if line != first and indent.startswith(base) and len(indent) > len(base):
                return indent[len(base) :]
        return "\t" if base.startswith("\t") else "  "

    def reindent(self, entity: Entity, text: str) -> str:
        """``text`` written with two-space indentation, in the entity's indentation unit."""
        unit = self.indent_unit(entity)
        if unit == "  ":
            return text
        out: list[str] = []
        for line in text.split("\n"):
            stripped = line.lstrip(" ")
            levels, extra = divmod(len(line) - len(stripped), 2)
            out.append(unit * levels + " " * extra + stripped)
        return "\n".join(out)

    # -- edits -------------------------------------------------------------------------------

    def replace_value(self, entity: Entity, attr: Attribute, text: str) -> TextEdit:
        return TextEdit(entity.path, entity.abs(attr.value.range), text)

    def rename(self, entity: Entity, attr: Attribute, name: str) -> TextEdit:
        """Rename an attribute, keeping the ``=`` where it was when the new name fits."""
        r = entity.abs(attr.name_range)
        line = self.line(entity, r.start.line)
        eq = line.find("=", r.end.character)
        gap = line[r.end.character : eq] if eq >= 0 else " "
        padding = len(attr.name) + len(gap) - len(name)
        new_gap = " " * max(padding, 1) if gap.strip() == "" else gap
        end = Position(r.end.line, eq if eq >= 0 else r.end.character)
        return TextEdit(entity.path, Range(r.start, end), name + new_gap)

    def _child_indent(self, entity: Entity, block: Block) -> str:
        for attr in block.attributes.values():
            start = entity.abs(attr.range).start
            if start.line != entity.abs(block.range).start.line:
                return self.indent_of(entity, start.line)
        for child in block.blocks:
            start = entity.abs(child.range).start
            if start.line != entity.abs(block.range).start.line:
                return self.indent_of(entity, start.line)
        unit = (
            "\t"
            if self.indent_of(entity, entity.abs(block.range).start.line).startswith("\t")
            else "  "
        )
        return self.indent_of(entity, entity.abs(block.range).start.line) + unit

    def _aligned_name(self, entity: Entity, block: Block, name: str) -> str:
        """Pad ``name`` so its ``=`` lines up with the block's last single-line attribute."""
        singles = [a for a in block.attributes.values() if a.range.start.line == a.range.end.line]
        if not singles:
            return name
        last = max(singles, key=lambda a: a.range.start)
        r = entity.abs(last.name_range)
        line = self.line(entity, r.start.line)
        eq = line.find("=", r.end.character)
        if eq < 0:
            return name
        width = eq - r.start.character - 1
        return name.ljust(width) if width > len(name) else name

    def insert_attribute(self, entity: Entity, block: Block, name: str, value: str) -> TextEdit:
        """Add ``name = value`` as the last attribute of ``block`` (before nested blocks)."""
        line = f"{self._aligned_name(entity, block, name)} = {value}"
        return self._insert_lines(entity, block, [line])

    def _first_run(self, entity: Entity, block: Block) -> list[Attribute]:
        """The first run of attributes on consecutive lines: where new attributes go."""
        attrs = sorted(block.attributes.values(), key=lambda a: a.range.start)
        if not attrs:
            return []
        run = [attrs[0]]
        after = entity.abs(attrs[0].range).end.line
        for attr in attrs[1:]:
            r = entity.abs(attr.range)
            if r.start.line != after + 1:
                break
            run.append(attr)
            after = r.end.line
        return run

    def insert_attributes(
        self, entity: Entity, block: Block, items: list[tuple[str, str]]
    ) -> list[TextEdit]:
        """Add several ``name = value`` lines where :meth:`insert_attribute` puts one, and line
        up the ``=`` of the attributes they join as ``terraform fmt`` does (the neighbours'
        padding is adjusted when a new name is longer)."""
        if not items:
            return []
        run = self._first_run(entity, block)
        lbrace = entity.abs(Range(block.lbrace, block.lbrace)).start
        rbrace = entity.abs(Range(block.rbrace, block.rbrace)).start
        single_lines = rbrace.line != lbrace.line and all(
            a.range.start.line == a.range.end.line for a in run
        )
        if not single_lines:
            width = max(len(name) for name, _ in items)
            lines = [f"{name.ljust(width)} = {value}" for name, value in items]
            return [self._insert_lines(entity, block, lines)]
        # (attribute, its name's end, the column of its "=") for the run
        places: list[tuple[Attribute, Position, int]] = []
        for attr in run:
            r = entity.abs(attr.name_range)
            line = self.line(entity, r.start.line)
            eq = line.find("=", r.end.character)
            if eq >= 0 and not line[r.end.character : eq].strip():
                places.append((attr, r.end, eq - r.start.character - 1))
        current = max([0] + [len(a.name) for a in run] + [w for _, _, w in places])
        width = max([current] + [len(name) for name, _ in items])
        edits: list[TextEdit] = []
        if width > current:  # a longer name: move the neighbours' "=" too
            for attr, end, _ in places:
                line = self.line(entity, end.line)
                eq = line.find("=", end.character)
                gap = " " * (width - len(attr.name) + 1)
                if line[end.character : eq] != gap:
                    span = Range(end, Position(end.line, eq))
                    edits.append(TextEdit(entity.path, span, gap))
        lines = [f"{name.ljust(width)} = {value}" for name, value in items]
        edits.append(self._insert_lines(entity, block, lines))
        return edits

    def _insert_lines(self, entity: Entity, block: Block, lines: list[str]) -> TextEdit:
        """Add attribute lines (without indentation) after the block's first run of
        attributes, or at its top."""
        eol = self.eol(entity)
        indent = self._child_indent(entity, block)
        rbrace = entity.abs(Range(block.rbrace, block.rbrace)).start
        lbrace = entity.abs(Range(block.lbrace, block.lbrace)).start
        line_text = eol.join(f"{indent}{text}" for text in lines)
        if rbrace.line == lbrace.line:
            # `resource "x" "y" {}` or `{ a = 1 }` on one line: open it up.
            inner = self.line(entity, lbrace.line)[lbrace.character + 1 : rbrace.character]
            closing_indent = self.indent_of(entity, lbrace.line)
            body = "" if not inner.strip() else f"{indent}{inner.strip()}{eol}"
            return TextEdit(
                entity.path,
                Range(Position(lbrace.line, lbrace.character + 1), rbrace),
                f"{eol}{body}{line_text}{eol}{closing_indent}",
            )
        # After the first run of consecutive attributes: the simple arguments that terraform
        # fmt keeps together at the top of a block.
        run = self._first_run(entity, block)
        after = entity.abs(run[-1].range).end.line if run else lbrace.line
        insert_at = Position(after, len(self.line(entity, after)))
        return TextEdit(entity.path, Range(insert_at, insert_at), f"{eol}{line_text}")

    def set_attribute(self, entity: Entity, block: Block, name: str, value: str) -> TextEdit:
        """Set ``name = value``: replace the value if the attribute exists, else add it."""
        attr = block.attributes.get(name)
        if attr is not None:
            return self.replace_value(entity, attr, value)
        return self.insert_attribute(entity, block, name, value)

    def insert_block(self, entity: Entity, block: Block, text: str) -> TextEdit:
        """Add a nested block (``text`` without indentation) at the end of ``block``."""
        eol = self.eol(entity)
        indent = self._child_indent(entity, block)
        rbrace = entity.abs(Range(block.rbrace, block.rbrace)).start
        lbrace = entity.abs(Range(block.lbrace, block.lbrace)).start
        text = self.reindent(entity, text)
        lines = [(indent + ln) if ln.strip() else "" for ln in text.strip("\n").split("\n")]
        rendered = eol.join(lines)
        if rbrace.line == lbrace.line:
            closing_indent = self.indent_of(entity, lbrace.line)
            return TextEdit(
                entity.path,
                Range(Position(lbrace.line, lbrace.character + 1), rbrace),
                f"{eol}{rendered}{eol}{closing_indent}",
            )
        last = rbrace.line - 1
        at = Position(last, len(self.line(entity, last)))
        blank = "" if self.line(entity, last).strip().endswith("{") else eol
        return TextEdit(entity.path, Range(at, at), f"{eol}{blank}{rendered}")

    def insert_after(self, entity: Entity, text: str) -> TextEdit:
        """Add a new top-level block after ``entity``'s block, separated by a blank line."""
        eol = self.eol(entity)
        end = entity.abs(entity.block.range).end
        line_len = len(self.line(entity, end.line))
        at = Position(end.line, line_len)
        body = eol.join(self.reindent(entity, text).strip("\n").split("\n"))
        return TextEdit(entity.path, Range(at, at), f"{eol}{eol}{body}")

    def append_to_file(self, path: str, text: str, like: Entity | None = None) -> TextEdit:
        """Append top-level text to a file of the module, creating it when needed; a new or
        one-line file takes its line endings from ``like``'s file."""
        parsed = self.module.files.get(path)
        content = parsed.text if parsed is not None else ""
        eol = "\r\n" if "\r\n" in content else "\n"
        if "\n" not in content and like is not None:
            eol = self.eol(like)
        lines = content.split("\n")
        at = Position(len(lines) - 1, len(lines[-1]))
        prefix = "" if not content else (eol if content.endswith("\n") else eol + eol)
        if content and not content.endswith("\n\n") and content.endswith("\n"):
            prefix = eol
        body = eol.join(text.strip("\n").split("\n"))
        return TextEdit(path, Range(at, at), f"{prefix}{body}{eol}")

    def delete_lines(self, entity: Entity, first: int, last: int) -> TextEdit:
        """Remove whole lines ``first``..``last`` (absolute, inclusive) of the entity's file."""
        end = (
            Position(last + 1, 0)
            if last + 1 < len(self.file(entity).text.split("\n"))
            else Position(last, len(self.line(entity, last)))
        )
        return TextEdit(entity.path, Range(Position(first, 0), end), "")
