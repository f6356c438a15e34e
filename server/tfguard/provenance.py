"""Where an evaluated value came from: the variables, tfvars entries, locals and conditional
tests an expression read on the way to its value.

``cidr_blocks = var.admin_cidrs`` is open to the internet because ``terraform.tfvars`` sets
``admin_cidrs``; an ACL is public because ``var.environment == "prod"`` is true. A finding on
such an expression carries these steps as related locations (``kind="provenance"``), so the
editor, SARIF and the text report can show them (see :meth:`tfguard.rules.base.Context.report`).

The steps are found by evaluating the expression once more with a scope that records what it
reads. That happens only for a reported finding whose expression refers to something, so the
analysis of a keystroke pays nothing for the values rules evaluate without reporting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tfguard.evaluate import UNKNOWN, Evaluator, Value, fully_known
from tfguard.findings import CONDITION, PROVENANCE, Range, Related
from tfguard.module import Module
from tfguard.syntax import Conditional, Expr, Reference

MAX_STEPS = 8  # a finding explains itself in a few lines
MAX_SHOWN = 60  # characters of a value shown in a step


@dataclass(frozen=True, slots=True)
class Step:
    path: str
    range: Range
    message: str
    kind: str = PROVENANCE  # or CONDITION

    def related(self) -> Related:
        return Related(self.path, self.range, self.message, self.kind)


def show(value: Value) -> str:
    """A value as HCL shows it (``"prod"``, ``["0.0.0.0/0"]``, ``true``), shortened."""
    text = _hcl(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _hcl(value: Value) -> str:
    if value is UNKNOWN:
        return "(known after apply)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_hcl(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_hcl(v)}" for k, v in value.items()) + " }"
    return str(value)


class _Tracing:
    """A module scope that records the variables and locals it resolves (into the
    evaluator's ``trace``), and what their own expressions read."""

    def __init__(self, module: Module, steps: list[Any]) -> None:
        self.module = module
        self.steps = steps
        self.inner = module.evaluator().scope
        self.seen: set[str] = set()

    def resolve(self, ref: Reference, evaluator: Evaluator) -> Value:
        steps = ref.steps
        if len(steps) >= 2 and isinstance(steps[1], str) and ref.root in ("var", "local"):
            key = f"{ref.root}.{steps[1]}"
            if key not in self.seen:
                self.seen.add(key)
                if ref.root == "var":
                    self._variable(steps[1])
                else:
                    self._local(steps[1])
        return self.inner.resolve(ref, evaluator)

    def _variable(self, name: str) -> None:
        m = self.module
        value = m.var_value(name)
        if not fully_known(value):
            return
        declared = m.variables.get(name)
        shown = f"var.{name} is {show(value)}"
        inputs = getattr(m, "inputs", None)
        if inputs is not None and name in inputs and declared is not None:
            where = declared.abs(declared.block.header_range)
            self.steps.append(Step(declared.path, where, f"{shown} (set by the module call)"))
            return
        if inputs is None:
            json_path = next(
                (p for p in sorted(m.json_tfvars, reverse=True) if name in m.json_tfvars[p]), None
            )
            if json_path is not None:
                self.steps.append(Step(json_path, Range.of(0, 0, 0, 0), shown))
                return
            if name in m.tfvars:
                placed, attr = m.tfvars[name]
                self.steps.append(Step(placed.path, placed.abs(attr.range), shown))
                return
        default = declared.attr("default") if declared is not None else None
        if declared is not None and default is not None:
            where = declared.abs(default.range)
            self.steps.append(Step(declared.path, where, f"{shown} (its default)"))

    def _local(self, name: str) -> None:
        m = self.module
        local = m.locals.get(name)
        if local is None:
            return
        value = m.local_value(name)
        if not fully_known(value):
            return
        where = local.placed.abs(local.attribute.range)
        self.steps.append(Step(local.placed.path, where, f"local.{name} is {show(value)}"))
        # What the local's own expression read, after it.
        evaluator = Evaluator(self)
        evaluator.trace = self.steps
        evaluator.eval(local.attribute.value)


def steps(module: Module, expr: Expr, path: str, line: int) -> list[Step]:
    """The steps ``expr`` (placed in ``path`` at top-level line ``line``) took to its value:
    each variable (where its value is set), local and decided conditional test it read."""
    if not any(r.root in ("var", "local") for r in expr.references()):
        return []
    trace: list[Any] = []
    scope = _Tracing(module, trace)
    evaluator = Evaluator(scope)
    evaluator.trace = trace
    evaluator.eval(expr)
    out: list[Step] = []
    for item in trace:
        if isinstance(item, Step):
            out.append(item)
            continue
        node, decided = item
        if isinstance(node, Conditional):
            # A condition written in the expression is placed like it; one inside a local
            # lies in that local's block.
            found = _placed_condition(module, expr, node, path, line)
            if found is not None:
                where_path, where = found
                text = " ".join(node.condition.text.split())
                outcome = "true" if decided else "false"
                out.append(Step(where_path, where, f"the condition {text} is {outcome}", CONDITION))
    unique: list[Step] = []
    for step in out:
        if all((s.path, s.range) != (step.path, step.range) for s in unique):
            unique.append(step)
    return unique[:MAX_STEPS]


def _placed_condition(
    module: Module, expr: Expr, node: Conditional, path: str, line: int
) -> tuple[str, Range] | None:
    if any(n is node for n in expr.walk()):
        return path, node.condition.range.shifted(line)
    for local in module.locals.values():
        if any(n is node for n in local.attribute.value.walk()):
            return local.placed.path, local.placed.abs(node.condition.range)
    return None
