"""Attribute paths into a block: ``site_config.minimum_tls_version``, ``tags.owner``.

Each dot-separated step is a nested block (``dynamic`` blocks included: their ``content`` is
searched once per element of a known ``for_each``, with the iterator bound), an attribute, or
a key inside an attribute's object value. A path can reach several places (three ``ingress``
blocks), so :func:`lookup` returns one :class:`Hit` per place, each saying where a finding
goes: on the attribute when it is written, on the header of the deepest block that exists when
it is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from tfguard.evaluate import Evaluator
from tfguard.module import Entity, Module
from tfguard.rules.kit.instances import MAX_INSTANCES, Anchor, child, iterator_name
from tfguard.rules.kit.values import UNKNOWN, Value
from tfguard.syntax import Attribute, Block, ObjectExpr, ObjectItem


class _Absent:
    """The value of an argument that is not written (or is ``null``)."""

    __slots__ = ()
    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<absent>"


ABSENT = _Absent()


@dataclass(frozen=True, slots=True)
class Hit:
    """One place a path reaches (or fails to reach) in a block."""

    entity: Entity
    holder: Block  # the deepest block on the path that exists
    attribute: Attribute | None  # the attribute written, None when the path stops short
    item: ObjectItem | None  # the object key written (``tags.owner``), when there is one
    value: Value  # the evaluated value; ABSENT when not written or null
    missing: tuple[str, ...]  # the steps not found below ``holder``
    dynamic: bool  # reached through a ``dynamic`` block's content

    @property
    def present(self) -> bool:
        return self.value is not ABSENT

    @property
    def anchor(self) -> Anchor:
        if self.item is not None:
            return self.item
        if self.attribute is not None:
            return self.attribute
        return self.holder


def nested_blocks(block: Block, name: str) -> list[tuple[Block, bool]]:
    """The nested blocks ``name`` of ``block``, with the ``content`` of ``dynamic "name"``
    blocks (flagged True)."""
    out = [(b, False) for b in block.blocks_of(name)]
    for dyn in block.blocks_of("dynamic"):
        if dyn.labels == (name,):
            content = dyn.block("content")
            if content is not None:
                out.append((content, True))
    return out


def _dynamic_of(block: Block, content: Block) -> Block | None:
    for dyn in block.blocks_of("dynamic"):
        if dyn.block("content") is content:
            return dyn
    return None


def _content_evaluators(
    module: Module, dyn: Block, evaluator: Evaluator | None
) -> list[Evaluator | None]:
    """One evaluator per element of a ``dynamic`` block's known ``for_each`` (the iterator
    bound to it); the unbound evaluator when the elements cannot be listed; none for an
    empty collection (no block is generated)."""
    base = evaluator if evaluator is not None else module.evaluator()
    for_each = dyn.attr("for_each")
    items = base.eval(for_each.value) if for_each is not None else UNKNOWN
    if isinstance(items, dict):
        pairs: list[tuple[object, object]] = list(items.items())
    elif isinstance(items, list):
        pairs = list(enumerate(items))
    else:
        return [evaluator]
    name = iterator_name(dyn)
    return [child(base, {name: {"key": k, "value": v}}) for k, v in pairs[:MAX_INSTANCES]]


def lookup(
    module: Module, entity: Entity, path: str, evaluator: Evaluator | None = None
) -> list[Hit]:
    """Every place ``path`` reaches in ``entity``'s block (see the module docstring), with
    values evaluated by ``evaluator`` (one instance of a ``count`` / ``for_each`` resource;
    by default the module's shared evaluation, where ``each`` and ``count`` are unknown)."""
    steps = tuple(path.split("."))
    out: list[Hit] = []
    _walk(module, entity, entity.block, steps, False, out, evaluator)
    return out


def _walk(
    module: Module,
    entity: Entity,
    block: Block,
    steps: tuple[str, ...],
    dynamic: bool,
    out: list[Hit],
    evaluator: Evaluator | None,
) -> None:
    step, rest = steps[0], steps[1:]
    attr = block.attributes.get(step)
    if attr is not None:
        out.append(_attribute_hit(module, entity, block, attr, rest, dynamic, evaluator))
        return
    children: list[tuple[Block, bool, Evaluator | None]] = []
    for nested, is_dynamic in nested_blocks(block, step):
        dyn = _dynamic_of(block, nested) if is_dynamic else None
        if dyn is None:
            children.append((nested, is_dynamic, evaluator))
            continue
        for bound in _content_evaluators(module, dyn, evaluator):
            children.append((nested, True, bound))
    if not children:
        out.append(Hit(entity, block, None, None, ABSENT, steps, dynamic))
        return
    for nested, is_dynamic, bound in children:
        if rest:
            _walk(module, entity, nested, rest, dynamic or is_dynamic, out, bound)
        else:  # the path names a block: its value is the block itself
            out.append(Hit(entity, nested, None, None, nested, (), dynamic or is_dynamic))


def _attribute_hit(
    module: Module,
    entity: Entity,
    block: Block,
    attr: Attribute,
    keys: tuple[str, ...],
    dynamic: bool,
    evaluator: Evaluator | None,
) -> Hit:
    value = module.cached_value(attr.value) if evaluator is None else evaluator.eval(attr.value)
    item: ObjectItem | None = None
    expr = attr.value
    for i, key in enumerate(keys):
        if isinstance(expr, ObjectExpr):
            found = expr.get(key)
            item = found
            expr = found.value if found is not None else None  # type: ignore[assignment]
        else:
            expr = None  # type: ignore[assignment]
        if value is UNKNOWN:
            break
        if not isinstance(value, dict):
            value = UNKNOWN
            break
        if key not in value:
            # A key left out of a known object: the object is written, the key is not.
            return Hit(entity, block, attr, None, ABSENT, keys[i:], dynamic)
        value = value[key]
    if value is None:
        value = ABSENT
    return Hit(entity, block, attr, item, value, (), dynamic)
