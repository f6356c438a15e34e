"""Small helpers shared by the data-protection and logging rules (no rules here): reading
boolean arguments the way the provider does, and finding the node a finding sits on when a
fix is asked for."""

from __future__ import annotations

from tfguard.evaluate import UNKNOWN, Value
from tfguard.findings import Finding
from tfguard.fixes import entity_for
from tfguard.module import Entity, Module
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
