"""Provider-neutral helpers for fixes: literal values, new variables, attributes set along a
path (creating the nested blocks it needs)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from tfguard.findings import Finding
from tfguard.fixes import Applicability, Editor, Fix, TextEdit, attribute_at, block_at
from tfguard.module import Entity, Module
from tfguard.rules.kit.paths import Hit
from tfguard.syntax import Attribute, Block, Expr, Literal, Template


def hcl_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "$${")
    return f'"{escaped.replace("%{", "%%{")}"'


def literal_string(expr: Expr) -> str | None:
    """The text of a string written in place (no interpolation), else None."""
    if isinstance(expr, Literal):
        return expr.value if isinstance(expr.value, str) else None
    if isinstance(expr, Template) and all(isinstance(p, str) for p in expr.parts):
        return "".join(p for p in expr.parts if isinstance(p, str))
    return None


def is_literal(attr: Attribute) -> bool:
    """A value written in place (a number, bool, null or a string without interpolation):
    a fix may replace it. A value from a variable, a local or an expression is defined
    elsewhere, where the fix does not reach."""
    return literal_string(attr.value) is not None or isinstance(attr.value, Literal)


def literal_text(attr: Attribute, value: bool | str) -> str | None:
    """HCL text for ``value`` in the style of the attribute's current literal (``true`` or
    ``"true"``); None when the current value is not a literal (a variable, a local...): the fix
    belongs where that value is defined."""
    current = attr.value
    if not isinstance(current, (Literal, Template)) or (
        isinstance(current, Template) and any(not isinstance(p, str) for p in current.parts)
    ):
        return None
    text = ("true" if value else "false") if isinstance(value, bool) else value
    quoted = isinstance(current, Template) or isinstance(getattr(current, "value", None), str)
    return f'"{text}"' if quoted and not text.startswith('"') else text


def unique_name(module: Module, resource_type: str, wanted: str) -> str:
    """``wanted``, or ``wanted_2``... when a resource of that type already has the name."""
    taken = {e.name for e in module.of_type(resource_type)}
    name, n = wanted, 1
    while name in taken:
        n += 1
        name = f"{wanted}_{n}"
    return name


@dataclass(frozen=True, slots=True)
class Located:
    """Where a finding sits: its top-level entity, the (nested) block, and the attribute when
    the finding is on one (None when it is on the block's header)."""

    entity: Entity
    block: Block
    attr: Attribute | None


def locate(module: Module, finding: Finding) -> Located | None:
    header = block_at(module, finding)
    if header is not None:
        return Located(*header, None)
    at = attribute_at(module, finding)
    return Located(*at) if at is not None else None


def merge_insertions(edits: list[TextEdit]) -> list[TextEdit]:
    """Insertions at one place become one edit, in order."""
    merged: list[TextEdit] = []
    for edit in edits:
        same = next(
            (m for m in merged if m.range == edit.range and m.range.start == m.range.end), None
        )
        if same is not None and edit.range.start == edit.range.end:
            merged[merged.index(same)] = TextEdit(
                same.path, same.range, same.new_text + edit.new_text
            )
        else:
            merged.append(edit)
    return merged


def set_attributes_fix(
    module: Module,
    finding: Finding,
    title: str,
    values: dict[str, str],
    *,
    literal_only: bool = False,
    applicability: Applicability = "safe",
    consequence: str = "",
    preferred: bool | None = None,
) -> list[Fix]:
    """A fix that gives the block the finding sits on (or the block holding the attribute it
    sits on) the arguments ``values`` (name → HCL text), replacing or adding each (new ones
    aligned like ``terraform fmt``). With ``literal_only``, nothing when the attribute the
    finding is on takes its value from elsewhere (a variable, a local). A fix that replaces
    the resource or changes what it does is ``"unsafe"`` (``preferred=`` is the old spelling):
    fix-all and ``tfguard fix`` apply safe fixes unattended."""
    at = attribute_at(module, finding)
    if at is not None:
        entity, block, attr = at
        if literal_only and not is_literal(attr):
            return []
    else:
        header = block_at(module, finding)
        if header is None:
            return []
        entity, block = header
    editor = Editor(module)
    edits: list[TextEdit] = []
    new: list[tuple[str, str]] = []
    for name, text in values.items():
        present = block.attributes.get(name)
        if present is not None:
            edits.append(editor.replace_value(entity, present, text))
        else:
            new.append((name, text))
    edits.extend(editor.insert_attributes(entity, block, new))
    kind = _applicability(applicability, preferred)
    return [Fix(title, tuple(merge_insertions(edits)), kind, consequence)]


def _applicability(value: Applicability, preferred: bool | None) -> Applicability:
    if preferred is None:
        return value
    return "safe" if preferred else "unsafe"


def nested_text(steps: tuple[str, ...], value: str) -> str:
    """``a { b = v }`` as fmt-style lines for the missing steps ``(a, b)``."""
    if len(steps) == 1:
        return f"{steps[0]} = {value}"
    inner = nested_text(steps[1:], value)
    body = "\n".join("  " + line for line in inner.split("\n"))
    return f"{steps[0]} {{\n{body}\n}}"


def set_path_edits(
    module: Module, hit: Hit, value: str, replace_expressions: bool = False
) -> list[TextEdit] | None:
    """Edits that make ``hit``'s path hold ``value`` (HCL text): replace a literal, add the
    attribute, or add the missing nested blocks. None when the value is written elsewhere
    (a variable, a local, a dynamic block's iterator; unless ``replace_expressions``) or
    under an object key."""
    editor = Editor(module)
    entity = hit.entity
    if hit.attribute is not None:
        if hit.missing or hit.item is not None:
            return None  # inside an object value: left to the author
        if not replace_expressions and not is_literal(hit.attribute):
            return None
        return [editor.replace_value(entity, hit.attribute, value)]
    if hit.dynamic:
        return None
    if len(hit.missing) == 1:
        return editor.insert_attributes(entity, hit.holder, [(hit.missing[0], value)])
    return [editor.insert_block(entity, hit.holder, nested_text(hit.missing, value))]


@dataclass(frozen=True, slots=True)
class Choice:
    """A value a fix can write (a key, a source range): ``expr`` is the HCL to write,
    ``edits`` what else the fix must add (a placeholder variable's declaration), ``label``
    how a fix's title names it."""

    expr: str
    edits: tuple[TextEdit, ...]
    label: str


def variable_choice(
    module: Module, owner: Entity, name: str, description: str, type_: str, label: str
) -> Choice:
    """``var.<name>``, declared (description, type, no default) in the module's
    variables.tf unless the module already declares it."""
    if name in module.variables:
        return Choice(f"var.{name}", (), f"var.{name}")
    text = "\n".join(
        [
            f'variable "{name}" {{',
            f"  description = {hcl_string(description)}",
            f"  type        = {type_}",
            "}",
        ]
    )
    path = os.path.join(module.directory, "variables.tf")
    editor = Editor(module)
    edit = editor.append_to_file(path, editor.reindent(owner, text), like=owner)
    return Choice(f"var.{name}", (edit,), label)


def set_value_fix(
    module: Module,
    finding: Finding,
    title: str,
    name: str,
    value: bool | str,
    *,
    applicability: Applicability = "safe",
    consequence: str = "",
    preferred: bool | None = None,
) -> list[Fix]:
    """Replace the literal value of the attribute the finding is on (in its quoting style), or
    add ``name`` to the block whose header the finding is on (``preferred=`` is the old
    spelling of ``applicability``)."""
    where = locate(module, finding)
    if where is None:
        return []
    editor = Editor(module)
    if where.attr is not None:
        text = literal_text(where.attr, value)
        if text is None:
            return []
        edit = editor.replace_value(where.entity, where.attr, text)
    else:
        text = ("true" if value else "false") if isinstance(value, bool) else f'"{value}"'
        edits = editor.insert_attributes(where.entity, where.block, [(name, text)])
        return [Fix(title, tuple(edits), _applicability(applicability, preferred), consequence)]
    return [Fix(title, (edit,), _applicability(applicability, preferred), consequence)]


def parent_block(root: Block, child: Block) -> Block | None:
    """The block that directly holds ``child``."""
    for block in root.walk_blocks():
        if any(b is child for b in block.blocks):
            return block
    return None
