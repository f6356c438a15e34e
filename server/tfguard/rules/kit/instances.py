"""Per-instance evaluation of a block, and the argument groups ("rule sets") nested in it.

A resource with ``count`` or ``for_each`` is evaluated once per instance when the instances
can be listed, so ``each.value.cidr`` takes each element's value. A rule set is one group of
arguments: a nested block, the ``content`` of a ``dynamic`` block (once per known
``for_each`` element), an object of the attribute form ``name = [{...}]``, or the resource
itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tfguard.evaluate import UNKNOWN, Evaluator, fully_known
from tfguard.findings import Range
from tfguard.module import Entity, Module
from tfguard.syntax import Attribute, Block, Expr, ObjectExpr, ObjectItem, Reference, TupleExpr

# Where a finding can be anchored (the same union as tfguard.rules.base.Anchor).
Anchor = Attribute | Block | Expr | ObjectItem | Range

INSTANCE_ROOTS = frozenset({"each", "count"})
# Instances evaluated one by one; above this, the resource is evaluated once without bindings
# (so values that depend on each/count stay unknown instead of costing time).
MAX_INSTANCES = 256


def _as_count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _uses_instance(block: Block) -> bool:
    return any(isinstance(e, Reference) and e.root in INSTANCE_ROOTS for e in block.expressions())


def instance_evaluators(module: Module, entity: Entity) -> list[Evaluator]:
    """One evaluator per instance of a resource (``each``/``count`` bound), or a single
    unbound one when the instances cannot be listed. ``count = 0`` (or an empty ``for_each``)
    gives no evaluator: the resource does not exist."""
    for_each = entity.attr("for_each")
    count = entity.attr("count")
    frames: list[dict[str, Any]] | None = None
    if for_each is not None:
        items = module.cached_value(for_each.value)
        if isinstance(items, dict):
            frames = [{"each": {"key": k, "value": v}} for k, v in items.items()]
        elif isinstance(items, list) and all(fully_known(i) for i in items):
            frames = [{"each": {"key": v, "value": v}} for v in items]
    elif count is not None:
        n = _as_count(module.cached_value(count.value))
        if n is not None and n >= 0:
            frames = [{"count": {"index": i}} for i in range(n)]
    if frames is None:
        return [module.evaluator()]
    if not frames:
        return []
    if len(frames) > MAX_INSTANCES or not _uses_instance(entity.block):
        return [module.evaluator()]
    out: list[Evaluator] = []
    for frame in frames:
        evaluator = module.evaluator()
        evaluator.bindings = [frame]
        out.append(evaluator)
    return out


def child(evaluator: Evaluator, frame: dict[str, Any]) -> Evaluator:
    out = Evaluator(evaluator.scope)
    out.bindings = [*evaluator.bindings, frame]
    return out


@dataclass(slots=True)
class RuleSet:
    entity: Entity
    holder: Anchor  # the block or object holding the arguments (or the resource block)
    values: dict[str, Any]
    anchors: dict[str, Anchor] = field(default_factory=dict)
    evaluator: Evaluator | None = None  # evaluates nested blocks of ``holder`` alike

    def nested(self, name: str) -> RuleSet | None:
        """The first nested block ``name`` of a block holder, evaluated like this set."""
        if not isinstance(self.holder, Block) or self.evaluator is None:
            return None
        block = self.holder.block(name)
        return None if block is None else block_set(self.entity, block, self.evaluator)

    def nested_all(self, name: str) -> list[RuleSet]:
        """Every nested block ``name`` of a block holder (dynamic ones expanded)."""
        if not isinstance(self.holder, Block) or self.evaluator is None:
            return []
        return list(_nested_in(self.entity, self.holder, name, self.evaluator))

    def get(self, name: str, default: Any = UNKNOWN) -> Any:
        return self.values.get(name, default) if name in self.anchors else default

    def anchor(self, name: str) -> Anchor:
        """Where a finding about argument ``name`` goes: the argument, else the holder."""
        return self.anchors.get(name, self.holder)


def block_set(entity: Entity, block: Block, evaluator: Evaluator) -> RuleSet:
    return RuleSet(
        entity,
        block,
        {name: evaluator.eval(attr.value) for name, attr in block.attributes.items()},
        dict(block.attributes),
        evaluator,
    )


def iterator_name(dynamic: Block) -> str:
    """The name a ``dynamic`` block's content uses for the current element."""
    attr = dynamic.attr("iterator")
    if attr is not None and isinstance(attr.value, Reference) and len(attr.value.steps) == 1:
        return attr.value.root
    return dynamic.labels[0] if dynamic.labels else "each"


def _nested_in(entity: Entity, block: Block, name: str, evaluator: Evaluator) -> Iterator[RuleSet]:
    for nested in block.blocks_of(name):
        yield block_set(entity, nested, evaluator)
    for dyn in block.blocks_of("dynamic"):
        if dyn.labels != (name,):
            continue
        content = dyn.block("content")
        if content is None:
            continue
        iterator = iterator_name(dyn)
        for_each = dyn.attr("for_each")
        items = evaluator.eval(for_each.value) if for_each is not None else UNKNOWN
        if isinstance(items, dict):
            pairs: list[tuple[Any, Any]] = list(items.items())
        elif isinstance(items, list):
            pairs = list(enumerate(items))
        else:
            yield block_set(entity, content, evaluator)
            continue
        for key, value in pairs:
            frame = {iterator: {"key": key, "value": value}}
            yield block_set(entity, content, child(evaluator, frame))


def nested_rule_sets(
    module: Module, entity: Entity, name: str, evaluators: list[Evaluator]
) -> Iterator[RuleSet]:
    """The ``name`` rule sets of a resource, per instance: blocks, dynamic blocks (expanded
    when ``for_each`` is known, else evaluated once with the iterator unknown) and the
    attribute form ``name = [{...}]``."""
    block = entity.block
    for evaluator in evaluators:
        yield from _nested_in(entity, block, name, evaluator)
        attr = block.attr(name)
        if attr is not None and not isinstance(attr.value, TupleExpr):
            # ``name = local.rules`` or a for expression: the evaluated list, anchored on the
            # attribute
            value = evaluator.eval(attr.value)
            for element in value if isinstance(value, list) else []:
                if isinstance(element, dict):
                    anchors: dict[str, Anchor] = {k: attr for k in element}
                    yield RuleSet(entity, attr, dict(element), anchors, evaluator)
        elif attr is not None and isinstance(attr.value, TupleExpr):
            for item in attr.value.items:
                if not isinstance(item, ObjectExpr):
                    continue
                values: dict[str, Any] = {}
                anchors = {}
                for obj_item in item.items:
                    if obj_item.key_name is None:
                        continue
                    values[obj_item.key_name] = evaluator.eval(obj_item.value)
                    anchors[obj_item.key_name] = obj_item
                yield RuleSet(entity, item, values, anchors, evaluator)


def resource_rule_sets(module: Module, entity: Entity) -> Iterator[RuleSet]:
    """A resource's own arguments, once per instance."""
    for evaluator in instance_evaluators(module, entity):
        yield block_set(entity, entity.block, evaluator)


def expression_targets(module: Module, expr: Expr | None, depth: int = 0) -> list[Entity]:
    """The entities an expression refers to, following ``local.*`` values."""
    if expr is None or depth > 8:
        return []
    out: list[Entity] = []
    for ref in expr.references():
        found: list[Entity] = []
        if ref.root == "local" and len(ref.steps) >= 2 and isinstance(ref.steps[1], str):
            local = module.locals.get(ref.steps[1])
            if local is not None:
                found = expression_targets(module, local.attribute.value, depth + 1)
        else:
            entity = module.resolve(ref)
            if entity is not None:
                found = [entity]
        for entity in found:
            if entity not in out:
                out.append(entity)
    return out
