"""Small helpers shared by the data-protection and logging rules (no rules here): reading
boolean arguments the way the provider does, and finding the node a finding sits on when a
fix is asked for."""

from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN, Value
from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Context
from tfguard.syntax import Attribute, Block


def as_bool(value: Value) -> Value:
    """True / False for a boolean or its string form; UNKNOWN for anything else."""
    if value is True or value == "true":
        return True
    if value is False or value == "false":
        return False
    return UNKNOWN


def bool_attr(module: Module, entity: Entity, name: str, default: Value = UNKNOWN) -> Value:
    """A boolean argument of a top-level block; ``default`` when it is not set."""
    attr = entity.attr(name)
    if attr is None:
        return default
    return as_bool(module.cached_value(attr.value))


def nested_bool(module: Module, block: Block, name: str, default: Value = UNKNOWN) -> Value:
    attr = block.attr(name)
    if attr is None:
        return default
    return as_bool(module.cached_value(attr.value))


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


def block_at(module: Module, finding: Finding) -> tuple[Entity, Block] | None:
    """The block whose header a finding is anchored on."""
    entity = entity_for(module, finding)
    if entity is None:
        return None
    for block in entity.block.walk_blocks():
        if entity.abs(block.header_range) == finding.range:
            return entity, block
    return None


def unique_name(module: Module, resource_type: str, wanted: str) -> str:
    """``wanted``, or ``wanted_2``... when a resource of that type already has the name."""
    taken = {e.name for e in module.of_type(resource_type)}
    name, n = wanted, 1
    while name in taken:
        n += 1
        name = f"{wanted}_{n}"
    return name


def check_flag(
    ctx: Context,
    entity: Entity,
    name: str,
    *,
    missing: str,
    disabled: str,
    block: Block | None = None,
    default: Value = False,
    severity: Severity | None = None,
) -> Iterator[Finding]:
    """Report a boolean argument that must be true: on the block header when it is left out
    and its default is false, on the argument when it is false. Unknown values are silent."""
    holder = block if block is not None else entity.block
    attr = holder.attr(name)
    if attr is None:
        if default is False:
            yield ctx.report(
                entity,
                holder,
                missing,
                severity=severity,
                data={"missing": True, "attribute": name},
            )
        return
    if as_bool(ctx.module.cached_value(attr.value)) is False:
        yield ctx.report(
            entity, attr, disabled, severity=severity, data={"missing": False, "attribute": name}
        )


def set_attributes_fix(
    module: Module, finding: Finding, title: str, values: dict[str, str]
) -> list[Fix]:
    """A fix that gives the block the finding sits on (or the block holding the attribute it
    sits on) the arguments ``values`` (name → HCL text), replacing or adding each."""
    at = attribute_at(module, finding)
    if at is not None:
        entity, block, _ = at
    else:
        header = block_at(module, finding)
        if header is None:
            return []
        entity, block = header
    editor = Editor(module)
    edits = [editor.set_attribute(entity, block, name, text) for name, text in values.items()]
    merged: list[TextEdit] = []
    for edit in edits:  # insertions at one place become one edit, in order
        same = next(
            (m for m in merged if m.range == edit.range and m.range.start == m.range.end), None
        )
        if same is not None and edit.range.start == edit.range.end:
            merged[merged.index(same)] = TextEdit(
                same.path, same.range, same.new_text + edit.new_text
            )
        else:
            merged.append(edit)
    return [Fix(title, tuple(merged), preferred=True)]


def exists(module: Module, entity: Entity) -> bool:
    """False only when a resource is known to have no instance: ``count = 0`` or an empty
    ``for_each`` (a switched-off optional resource)."""
    count = entity.attr("count")
    if count is not None:
        value = module.cached_value(count.value)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 0:
            return False
    for_each = entity.attr("for_each")
    if for_each is not None:
        value = module.cached_value(for_each.value)
        if isinstance(value, (list, dict)) and not value:
            return False
    return True


def live(module: Module, *types: str) -> list[Entity]:
    """The module's resources of ``types`` that may have instances (see :func:`exists`)."""
    return [e for e in module.of_type(*types) if exists(module, e)]
