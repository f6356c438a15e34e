"""Small edits the shared :class:`~tfguard.fixes.Editor` does not make — a comment above an
argument, a line right after one, a top-level block before another, a rename that keeps the
``=`` column — and the readers of HCL strings and release numbers those fixes need."""

from __future__ import annotations

import re

from tfguard.findings import Position, Range
from tfguard.fixes import Editor, TextEdit
from tfguard.module import Entity
from tfguard.syntax import Attribute, Block, Expr, Literal, ObjectItem, Template

_RELEASE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")

# -- edits -----------------------------------------------------------------------------------


def on_own_lines(editor: Editor, entity: Entity, node: Attribute | ObjectItem) -> bool:
    """Whether an argument starts its line and only a comment follows it on its last line,
    so that lines can be added above and below it."""
    r = entity.abs(node.range)
    if editor.line(entity, r.start.line)[: r.start.character].strip():
        return False
    rest = editor.line(entity, r.end.line)[r.end.character :].strip()
    return rest == "" or rest.startswith(("#", "//"))


def comment_above(editor: Editor, entity: Entity, line: int, lines: list[str]) -> TextEdit:
    """``# ...`` lines inserted above ``line``, with its indentation."""
    indent = editor.indent_of(entity, line)
    eol = editor.eol(entity)
    at = Position(line, 0)
    return TextEdit(entity.path, Range(at, at), "".join(f"{indent}# {t}{eol}" for t in lines))


def name_column(editor: Editor, entity: Entity, name_range: Range) -> int | None:
    """The width a name is padded to before its ``=`` (None when ``=`` is not on its line)."""
    r = entity.abs(name_range)
    line = editor.line(entity, r.start.line)
    eq = line.find("=", r.end.character)
    if eq < 0 or line[r.end.character : eq].strip():
        return None
    return eq - r.start.character - 1


def rename_padded(
    editor: Editor, entity: Entity, name_range: Range, name: str, width: int
) -> TextEdit:
    """Replace a name and the blanks before its ``=`` so that ``=`` follows ``width``
    columns of name."""
    r = entity.abs(name_range)
    line = editor.line(entity, r.start.line)
    eq = line.find("=", r.end.character)
    end = Position(r.end.line, eq) if eq >= 0 else r.end
    tail = " " if eq >= 0 else ""
    return TextEdit(entity.path, Range(r.start, end), name.ljust(width) + tail)


def line_after(editor: Editor, entity: Entity, node: Attribute | ObjectItem, text: str) -> TextEdit:
    """A new line after an argument (and any comment ending its last line), indented like it."""
    r = entity.abs(node.range)
    at = Position(r.end.line, len(editor.line(entity, r.end.line)))
    indent = editor.indent_of(entity, r.start.line)
    return TextEdit(entity.path, Range(at, at), f"{editor.eol(entity)}{indent}{text}")


def block_before(editor: Editor, entity: Entity, text: str) -> TextEdit:
    """A new top-level block before ``entity`` and the comment lines right above it, followed
    by a blank line."""
    start = entity.abs(entity.block.range).start.line
    while start > 0 and editor.line(entity, start - 1).strip().startswith(("#", "//")):
        start -= 1
    eol = editor.eol(entity)
    body = eol.join(text.strip("\n").split("\n"))
    at = Position(start, 0)
    return TextEdit(entity.path, Range(at, at), f"{body}{eol}{eol}")


def quoted(value: str) -> str:
    """An HCL string literal for ``value``."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        .replace("${", "$${")
        .replace("%{", "%%{")
    )
    return f'"{escaped}"'


def plain_string(expr: Expr) -> str | None:
    """The value of a quoted string written without escapes or interpolation: a string a fix
    can re-write from its value without changing anything else."""
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        value = expr.value
    elif (
        isinstance(expr, Template)
        and not expr.has_directives
        and all(isinstance(p, str) for p in expr.parts)
    ):
        value = "".join(p for p in expr.parts if isinstance(p, str))
    else:
        return None
    return value if expr.text == quoted(value) else None


def block_of(entity: Entity, node: Expr) -> Block | None:
    """The (nested) block of ``entity`` whose attribute holds ``node``."""
    for block in entity.block.walk_blocks():
        for attr in block.attributes.values():
            if any(n is node for n in attr.value.walk()):
                return block
    return None


def attribute_holding(block: Block, node: Expr) -> Attribute | None:
    """The attribute (of ``block`` or its nested blocks) whose value contains ``node``."""
    for inner in block.walk_blocks():
        for attr in inner.attributes.values():
            if any(n is node for n in attr.value.walk()):
                return attr
    return None


# -- versions ------------------------------------------------------------------------------


def release(version: str) -> tuple[int, int, int] | None:
    """``1.9.5`` / ``v1.9.5`` as numbers; None for anything else (pre-releases included)."""
    m = _RELEASE.match(version.strip())
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def pessimistic(version: tuple[int, int, int]) -> str:
    """``~> X.Y`` for a release X.Y.Z (``~> 0.Y.Z`` before 1.0, where minor releases may
    break)."""
    major, minor, patch = version
    return f"~> {major}.{minor}" if major >= 1 else f"~> 0.{minor}.{patch}"
