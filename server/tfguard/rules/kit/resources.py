"""Which resources a rule looks at: the ones that may have instances.

A resource with ``count = 0`` or an empty ``for_each`` is never created, so no rule reports
it. This is decided here, once, for every rule: :func:`live` is the only iterator rules use.
The one exception is a literal secret written in the source, which stays reported even when
the resource is switched off, because the secret is in the repository either way (the
secret rules iterate ``module.entities`` themselves and say so).
"""

from __future__ import annotations

from tfguard.module import Entity, Module
from tfguard.rules.kit.values import UNKNOWN, as_number
from tfguard.syntax import Reference


def exists(module: Module, entity: Entity) -> bool:
    """False only when a block is known to have no instance: ``count = 0`` (or less) or an
    empty ``for_each``. An unknown count or for_each may have instances."""
    count = entity.attr("count")
    if count is not None:
        value = as_number(module.cached_value(count.value))
        if value is not UNKNOWN and value <= 0:
            return False
    for_each = entity.attr("for_each")
    if for_each is not None:
        value = module.cached_value(for_each.value)
        if isinstance(value, (list, dict)) and not value:
            return False
    return True


def live(module: Module, *types: str) -> list[Entity]:
    """The module's blocks of ``types`` (``aws_s3_bucket``, ``data.aws_iam_policy_document``)
    that may have instances."""
    return [e for e in module.of_type(*types) if exists(module, e)]


def addressable(entity: Entity) -> bool:
    """A block written once (no count / for_each), so ``type.name.attr`` names it."""
    return entity.attr("count") is None and entity.attr("for_each") is None


def ignores_changes(entity: Entity, name: str) -> bool:
    """``lifecycle { ignore_changes = [name] }`` (or ``all``): the argument is managed outside
    Terraform, so what the configuration says about it is not what the cloud has."""
    for lifecycle in entity.block.blocks_of("lifecycle"):
        attr = lifecycle.attr("ignore_changes")
        if attr is None:
            continue
        roots = {ref.root for ref in attr.value.references()}
        if isinstance(attr.value, Reference):
            roots.add(attr.value.root)
        if name in roots or "all" in roots:
            return True
    return False
