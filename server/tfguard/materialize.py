"""Values turned back into syntax: a block whose arguments are the values they evaluate to.

A resource of a called module, reached from the caller through an output, is handed to the
caller's rules as a *materialized* copy: every argument is replaced by its value computed in
the called module (with the call's arguments), at the place it is written there. The caller's
rules can then read it with any evaluator, in any module, and get the called module's values,
never the caller's variables of the same name. A plan's planned values are read into the same
shape (:mod:`tfguard.plan`). An unknown value becomes :class:`~tfguard.syntax.Computed`.
"""

from __future__ import annotations

import json
from typing import Any

from tfguard.evaluate import UNKNOWN, Evaluator, Value, fully_known
from tfguard.findings import Position, Range
from tfguard.syntax import (
    Attribute,
    Block,
    Computed,
    Expr,
    Literal,
    ObjectExpr,
    ObjectItem,
    Reference,
    TupleExpr,
)

MAX_DYNAMIC = 256  # dynamic block instances expanded one by one


def value_text(value: Value) -> str:
    """How a materialized value reads in messages and quick looks (JSON, like HCL's literals)."""
    if value is UNKNOWN:
        return "(known after apply)"
    if not fully_known(value):
        return "(partly known)"
    try:
        return json.dumps(value, separators=(", ", ": "))
    except (TypeError, ValueError):
        return str(value)


def expr_for(value: Value, rng: Range, shape: Expr | None = None, shift: int = 0) -> Expr:
    """An expression that evaluates to ``value``, at ``rng``; the items of a list or an object
    take the ranges of the matching items of ``shape`` (the expression written, whose ranges
    are ``shift`` lines off)."""
    if value is UNKNOWN:
        return Computed(rng, value_text(value))
    if value is None or isinstance(value, (bool, int, float, str)):
        return Literal(rng, value_text(value), value)
    if isinstance(value, list):
        items = shape.items if isinstance(shape, TupleExpr) else ()
        out: list[Expr] = []
        for index, item in enumerate(value):
            inner = items[index] if index < len(items) else None
            at = inner.range.shifted(shift) if inner is not None else rng
            out.append(expr_for(item, at, inner, shift))
        return TupleExpr(rng, value_text(value), tuple(out))
    if isinstance(value, dict):
        written = shape if isinstance(shape, ObjectExpr) else None
        members: list[ObjectItem] = []
        for key, item in value.items():
            found = written.get(str(key)) if written is not None else None
            key_range = found.key.range.shifted(shift) if found is not None else rng
            value_range = found.value.range.shifted(shift) if found is not None else rng
            members.append(
                ObjectItem(
                    Literal(key_range, json.dumps(str(key)), str(key)),
                    str(key),
                    expr_for(item, value_range, found.value if found else None, shift),
                    found.range.shifted(shift) if found is not None else rng,
                )
            )
        return ObjectExpr(rng, value_text(value), tuple(members))
    return Computed(rng, value_text(UNKNOWN))


def _position(p: Position, shift: int) -> Position:
    return Position(p.line + shift, p.character) if shift else p


def block_values(block: Block, evaluator: Evaluator, shift: int) -> Block:
    """``block`` with its arguments (and those of its nested blocks) replaced by their values
    under ``evaluator``, ranges moved ``shift`` lines down. ``dynamic`` blocks become the
    blocks they generate when their ``for_each`` is known."""
    attributes: dict[str, Attribute] = {}
    for name, attr in block.attributes.items():
        value = evaluator.eval(attr.value)
        at = attr.value.range.shifted(shift)
        attributes[name] = Attribute(
            name,
            attr.name_range.shifted(shift),
            expr_for(value, at, attr.value, shift),
            attr.range.shifted(shift),
        )
    blocks: list[Block] = []
    for nested in block.blocks:
        if nested.type == "dynamic" and len(nested.labels) == 1:
            blocks.extend(_dynamic(nested, evaluator, shift))
        else:
            blocks.append(block_values(nested, evaluator, shift))
    return Block(
        block.type,
        block.labels,
        block.type_range.shifted(shift),
        tuple(r.shifted(shift) for r in block.label_ranges),
        block.range.shifted(shift),
        _position(block.lbrace, shift),
        _position(block.rbrace, shift),
        attributes,
        blocks,
    )


def _dynamic(dynamic: Block, evaluator: Evaluator, shift: int) -> list[Block]:
    content = dynamic.block("content")
    if content is None:
        return []
    name = dynamic.labels[0]
    iterator = name
    attr = dynamic.attr("iterator")
    if attr is not None and isinstance(attr.value, Reference) and len(attr.value.steps) == 1:
        iterator = attr.value.root
    for_each = dynamic.attr("for_each")
    items: Any = evaluator.eval(for_each.value) if for_each is not None else UNKNOWN
    pairs: list[tuple[Any, Any]] | None = None
    if isinstance(items, dict):
        pairs = list(items.items())
    elif isinstance(items, list):
        pairs = list(enumerate(items))
    header = dynamic.header_range
    if pairs is None or len(pairs) > MAX_DYNAMIC:
        # Not known: the content once, with the iterator unknown.
        return [_renamed(block_values(content, evaluator, shift), name, header, shift)]
    out: list[Block] = []
    for key, value in pairs:
        inner = Evaluator(evaluator.scope)
        inner.bindings = [*evaluator.bindings, {iterator: {"key": key, "value": value}}]
        out.append(_renamed(block_values(content, inner, shift), name, header, shift))
    return out


def _renamed(block: Block, name: str, header: Range, shift: int) -> Block:
    """A dynamic block's content as the block it generates (shown at the dynamic header)."""
    return Block(
        name,
        (),
        header.shifted(shift),
        (),
        block.range,
        block.lbrace,
        block.rbrace,
        block.attributes,
        block.blocks,
    )
