"""Small helpers for AWS rules (no rules here): fixes turned into unsafe or display-only
offers, the place a declarative finding was reported at, and edits that rewrite a block's
arguments or remove a nested block in terraform fmt's layout. All are provider-neutral and
could move into the kit."""

from __future__ import annotations

from collections.abc import Mapping

from tfguard.findings import Finding, Position, Range
from tfguard.fixes import Applicability, Editor, Fix, TextEdit, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import anchor_range
from tfguard.rules.kit.paths import Hit, lookup
from tfguard.syntax import Attribute, Block


def downgraded(fixes: list[Fix], applicability: Applicability, consequence: str) -> list[Fix]:
    """The same fixes as ``unsafe`` (applied only on request, saying ``consequence``) or
    ``display`` (never applied by a tool)."""
    return [Fix(f.title, f.edits, applicability, consequence) for f in fixes]


def hit_of(module: Module, finding: Finding, path: str) -> Hit | None:
    """The place of ``path`` a finding was reported at (as a declarative check reports)."""
    entity = entity_for(module, finding)
    if entity is None:
        return None
    for hit in lookup(module, entity, path):
        if entity.abs(anchor_range(hit.anchor)) == finding.range:
            return hit
    return None


def rewrite_arguments(
    module: Module, entity: Entity, block: Block, changes: Mapping[str, str | None]
) -> list[TextEdit] | None:
    """Edits that give ``block`` the arguments ``changes`` (name → HCL text, or None to remove
    it) in ``terraform fmt``'s layout: the block's first run of single-line arguments is
    written again with its ``=`` realigned, and new arguments join the end of that run.
    None when the run cannot be rewritten safely (an argument spanning lines, a trailing
    comment, an argument to change outside the run, several arguments on one line)."""
    editor = Editor(module)
    attrs = sorted(block.attributes.values(), key=lambda a: a.range.start)
    run: list[Attribute] = []
    for attr in attrs:
        r = entity.abs(attr.range)
        if run and r.start.line != entity.abs(run[-1].range).end.line + 1:
            break
        run.append(attr)
    if not run:
        items = [(name, text) for name, text in changes.items() if text is not None]
        if len(items) != len(changes):
            return None
        return editor.insert_attributes(entity, block, items)
    names = {a.name for a in run}
    if any(name in block.attributes and name not in names for name in changes):
        return None
    lines: list[tuple[str, str]] = []
    for attr in run:
        r = entity.abs(attr.range)
        text = editor.line(entity, r.start.line)
        if r.start.line != r.end.line or text[r.end.character :].strip():
            return None
        if text[: entity.abs(attr.name_range).start.character].strip():
            return None
        if attr.name in changes:
            new = changes[attr.name]
            if new is not None:
                lines.append((attr.name, new))
            continue
        value = entity.abs(attr.value.range)
        lines.append((attr.name, text[value.start.character : value.end.character]))
    lines.extend((n, t) for n, t in changes.items() if n not in names and t is not None)
    first = entity.abs(run[0].range).start.line
    last = entity.abs(run[-1].range).end.line
    indent = editor.indent_of(entity, first)
    width = max(len(name) for name, _ in lines) if lines else 0
    eol = editor.eol(entity)
    if not lines:
        return [editor.delete_lines(entity, first, last)]
    body = eol.join(f"{indent}{name.ljust(width)} = {text}" for name, text in lines)
    span = Range(Position(first, 0), Position(last, len(editor.line(entity, last))))
    return [TextEdit(entity.path, span, body)]


def delete_block_lines(module: Module, entity: Entity, node: Block | Attribute) -> TextEdit | None:
    """An edit that removes a nested block or a multi-line argument standing on lines of its
    own, with the blank line before it when it would otherwise be left doubled or before a
    closing brace; None when it shares a line with something else."""
    editor = Editor(module)
    r = entity.abs(node.range)
    if editor.line(entity, r.start.line)[: r.start.character].strip():
        return None
    tail = editor.line(entity, r.end.line)[r.end.character :].strip()
    if tail and not tail.startswith(("#", "//")):
        return None
    first, last = r.start.line, r.end.line
    total = len(editor.file(entity).text.split("\n"))
    before = editor.line(entity, first - 1) if first > 0 else ""
    after = editor.line(entity, last + 1) if last + 1 < total else ""
    if not before.strip() and (not after.strip() or after.strip().startswith("}")):
        first -= 1
    return editor.delete_lines(entity, first, last)
