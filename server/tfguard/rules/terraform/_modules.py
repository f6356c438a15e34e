"""The module calls of a module with their source addresses read and classified."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tfguard.module import Entity, Module
from tfguard.rules.terraform._sources import Source, classify
from tfguard.syntax import Attribute


@dataclass(frozen=True, slots=True)
class ModuleCall:
    entity: Entity
    attribute: Attribute  # the source attribute
    source: Source


def module_sources(module: Module) -> Iterator[ModuleCall]:
    for entity in module.module_calls.values():
        attr = entity.attr("source")
        if attr is None:
            continue
        value = module.cached_value(attr.value)
        if not isinstance(value, str) or not value.strip():
            continue
        yield ModuleCall(entity, attr, classify(value))
