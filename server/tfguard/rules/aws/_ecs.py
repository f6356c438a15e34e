"""ECS task definitions (no rules here): the containers of ``container_definitions``.

``container_definitions`` is a JSON string. Modules write it as ``jsonencode([...])`` (read
here as the list it encodes, so one unknown image tag does not hide the rest), as a JSON
heredoc or string (interpolations become unknown values), or take it from a local or a
variable. ``file(...)`` and ``templatefile(...)`` cannot be read: rules never open files, and
stay silent. A container written in place in ``jsonencode([...])`` anchors its findings on its
own object, and on the key (``privileged = true``) when the key is written; otherwise findings
sit on the ``container_definitions`` argument.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from tfguard.evaluate import UNKNOWN, Value
from tfguard.module import Entity, Module
from tfguard.rules.base import Anchor
from tfguard.rules.kit.resources import live
from tfguard.syntax import Attribute, Expr, FunctionCall, Heredoc, ObjectExpr, Template, TupleExpr

TASK = "aws_ecs_task_definition"
_PLACEHOLDER = "__tfguard_unknown__"


@dataclass(frozen=True, slots=True)
class Container:
    """One container definition of a task definition."""

    task: Entity
    values: dict[str, Value]
    anchor: Anchor  # the container's object when written in place, else the argument
    written: ObjectExpr | None  # the container's object in jsonencode([...]), when there is one

    @property
    def name(self) -> str:
        name = self.values.get("name")
        return name if isinstance(name, str) else "?"

    def get(self, key: str) -> Value:
        """A key of the definition; None when left out, UNKNOWN when unreadable."""
        return self.values.get(key)

    def anchor_of(self, key: str) -> Anchor:
        """Where a finding about ``key`` goes: the key when written in place, else the
        container."""
        if self.written is not None:
            item = self.written.get(key)
            if item is not None:
                return item
        return self.anchor

    def describe(self) -> str:
        return f"container {self.name!r} of {self.task.address}"


def _unknownify(value: Value) -> Value:
    if isinstance(value, str) and _PLACEHOLDER in value:
        return UNKNOWN
    if isinstance(value, list):
        return [_unknownify(v) for v in value]
    if isinstance(value, dict):
        return {k: _unknownify(v) for k, v in value.items()}
    return value


def _json_text(module: Module, expr: Template | Heredoc) -> Value:
    """A JSON document written as a string or heredoc; interpolations are unknown values."""
    if expr.has_directives:
        return UNKNOWN
    out: list[str] = []
    for part in expr.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = module.value(part)
        out.append(value if isinstance(value, str) else _PLACEHOLDER)
    try:
        return _unknownify(json.loads("".join(out)))
    except ValueError:
        return UNKNOWN


def _definitions(module: Module, expr: Expr) -> tuple[Value, TupleExpr | None]:
    """The list the argument encodes, and the list expression when written in place."""
    if isinstance(expr, FunctionCall) and expr.name == "jsonencode" and len(expr.args) == 1:
        arg = expr.args[0]
        return module.value(arg), arg if isinstance(arg, TupleExpr) else None
    if isinstance(expr, (Template, Heredoc)):
        return _json_text(module, expr), None
    value = module.cached_value(expr)
    if isinstance(value, str):
        try:
            return json.loads(value), None
        except ValueError:
            return UNKNOWN, None
    return value, None


def containers(module: Module, task: Entity) -> Iterator[Container]:
    """The containers of a task definition that can be read."""
    attr: Attribute | None = task.attr("container_definitions")
    if attr is None:
        return
    value, written = _definitions(module, attr.value)
    if not isinstance(value, list):
        return
    items = list(written.items) if written is not None else []
    for i, definition in enumerate(value):
        if not isinstance(definition, dict):
            continue
        item = items[i] if i < len(items) else None
        obj = item if isinstance(item, ObjectExpr) else None
        anchor: Anchor = obj if obj is not None else attr
        yield Container(task, definition, anchor, obj)


def task_containers(module: Module) -> Iterator[Container]:
    """The readable containers of every task definition of the module."""
    for task in live(module, TASK):
        yield from containers(module, task)
