"""Helpers shared by the network and EC2 rules: open CIDRs, port spans, per-instance evaluation
and the rule sets of security groups and network ACLs in every form Terraform accepts.

A "rule set" is one group of arguments that describes a firewall rule: a nested ``ingress``
block, the ``content`` of a ``dynamic "ingress"`` block (once per known ``for_each`` element),
an object of the attribute form ``ingress = [{...}]``, or a standalone rule resource.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tfguard.evaluate import UNKNOWN, Evaluator, fully_known
from tfguard.findings import Finding
from tfguard.fixes import Editor, Fix, attribute_at, block_at
from tfguard.module import Entity, Module
from tfguard.rules.base import Anchor
from tfguard.syntax import (
    Attribute,
    Block,
    Expr,
    Literal,
    ObjectExpr,
    Reference,
    Template,
    TupleExpr,
)

INSTANCE_ROOTS = frozenset({"each", "count"})
# Instances evaluated one by one; above this, the resource is evaluated once without bindings
# (so values that depend on each/count stay unknown instead of costing time).
MAX_INSTANCES = 256


def is_open_cidr(value: Any) -> bool:
    """``0.0.0.0/0``, ``::/0`` and their spellings: a range that admits every address."""
    if not isinstance(value, str):
        return False
    return _is_open_cidr_text(value)


@lru_cache(maxsize=4096)
def _is_open_cidr_text(value: str) -> bool:
    try:
        return ipaddress.ip_network(value.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def as_int(value: Any) -> int | None:
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


def is_true(value: Any) -> bool:
    """A known true (``true`` or the string ``"true"`` some arguments take)."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


# -- instances ---------------------------------------------------------------------------------


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
        n = as_int(module.cached_value(count.value))
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


def exists(module: Module, entity: Entity) -> bool:
    """False only when the resource is known to have no instance (``count = 0``)."""
    return bool(instance_evaluators(module, entity))


def child(evaluator: Evaluator, frame: dict[str, Any]) -> Evaluator:
    out = Evaluator(evaluator.scope)
    out.bindings = [*evaluator.bindings, frame]
    return out


# -- rule sets ---------------------------------------------------------------------------------


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
        return None if block is None else _block_set(self.entity, block, self.evaluator)

    def get(self, name: str, default: Any = UNKNOWN) -> Any:
        return self.values.get(name, default) if name in self.anchors else default


def _block_set(entity: Entity, block: Block, evaluator: Evaluator) -> RuleSet:
    return RuleSet(
        entity,
        block,
        {name: evaluator.eval(attr.value) for name, attr in block.attributes.items()},
        dict(block.attributes),
        evaluator,
    )


def _iterator_name(dynamic: Block) -> str:
    attr = dynamic.attr("iterator")
    if attr is not None and isinstance(attr.value, Reference) and len(attr.value.steps) == 1:
        return attr.value.root
    return dynamic.labels[0] if dynamic.labels else "each"


def nested_rule_sets(
    module: Module, entity: Entity, name: str, evaluators: list[Evaluator]
) -> Iterator[RuleSet]:
    """The ``name`` rule sets of a resource, per instance: blocks, dynamic blocks (expanded
    when ``for_each`` is known, else evaluated once with the iterator unknown) and the
    attribute form ``name = [{...}]``."""
    block = entity.block
    for evaluator in evaluators:
        for nested in block.blocks_of(name):
            yield _block_set(entity, nested, evaluator)
        for dyn in block.blocks_of("dynamic"):
            if dyn.labels != (name,):
                continue
            content = dyn.block("content")
            if content is None:
                continue
            iterator = _iterator_name(dyn)
            for_each = dyn.attr("for_each")
            items = evaluator.eval(for_each.value) if for_each is not None else UNKNOWN
            if isinstance(items, dict):
                pairs: list[tuple[Any, Any]] = list(items.items())
            elif isinstance(items, list):
                pairs = list(enumerate(items))
            else:
                yield _block_set(entity, content, evaluator)
                continue
            for key, value in pairs:
                frame = {iterator: {"key": key, "value": value}}
                yield _block_set(entity, content, child(evaluator, frame))
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
    """A standalone rule resource, once per instance."""
    for evaluator in instance_evaluators(module, entity):
        yield _block_set(entity, entity.block, evaluator)


SG_TYPES = ("aws_security_group", "aws_default_security_group")


def security_group_rules(module: Module, kind: str) -> Iterator[RuleSet]:
    """Every ingress (or egress) rule of the module in all three resource forms: inline in
    ``aws_security_group``, ``aws_security_group_rule`` and
    ``aws_vpc_security_group_{ingress,egress}_rule``."""
    for sg in module.of_type(*SG_TYPES):
        yield from nested_rule_sets(module, sg, kind, instance_evaluators(module, sg))
    for rule in module.of_type("aws_security_group_rule"):
        for rule_set in resource_rule_sets(module, rule):
            if rule_set.values.get("type") == kind:
                yield rule_set
    yield from (
        rs
        for rule in module.of_type(f"aws_vpc_security_group_{kind}_rule")
        for rs in resource_rule_sets(module, rule)
    )


CIDR_ARGUMENTS = ("cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6")


def open_cidr_anchors(
    rule: RuleSet, names: tuple[str, ...] = CIDR_ARGUMENTS
) -> Iterator[tuple[str, Anchor, str]]:
    """(argument, anchor, cidr) for each argument of the rule that admits every address."""
    for name in names:
        anchor = rule.anchors.get(name)
        if anchor is None:
            continue
        value = rule.values.get(name)
        for v in value if isinstance(value, list) else [value]:
            if is_open_cidr(v):
                yield name, anchor, str(v).strip()
                break


# -- ports ---------------------------------------------------------------------------------------

ALL_PROTOCOLS = frozenset({"-1", "all"})
ICMP_PROTOCOLS = frozenset({"icmp", "1", "icmpv6", "58"})
PORT_PROTOCOLS = frozenset({"tcp", "6", "udp", "17"})


@dataclass(frozen=True, slots=True)
class PortSpan:
    """What a rule admits: every protocol, a port range of TCP/UDP, ICMP, or another
    protocol without ports."""

    kind: str  # "all", "ports", "icmp", "other"
    low: int = 0
    high: int = 65535
    protocol: str = ""

    @property
    def all_ports(self) -> bool:
        return self.kind == "all" or (self.kind == "ports" and self.low <= 0 and self.high >= 65535)

    def covers(self, port: int) -> bool:
        return self.kind == "all" or (self.kind == "ports" and self.low <= port <= self.high)

    def describe(self) -> str:
        if self.kind == "all":
            return "on all ports and protocols"
        if self.kind == "icmp":
            return "for ICMP"
        if self.kind == "other":
            return f"for protocol {self.protocol}"
        if self.all_ports:
            return f"on all {self.protocol.upper()} ports"
        if self.low == self.high:
            return f"on port {self.low}"
        return f"on ports {self.low}-{self.high}"


def port_span(values: dict[str, Any], protocol_key: str) -> PortSpan | None:
    """The span a rule admits; None when it cannot be known."""
    protocol = values.get(protocol_key, UNKNOWN)
    if protocol is UNKNOWN or protocol is None or isinstance(protocol, (list, dict)):
        return None
    name = str(protocol).strip().lower()
    if name in ALL_PROTOCOLS:
        return PortSpan("all")
    if name in ICMP_PROTOCOLS:
        return PortSpan("icmp", protocol=name)
    if name not in PORT_PROTOCOLS:
        return PortSpan("other", protocol=name)
    low, high = as_int(values.get("from_port")), as_int(values.get("to_port"))
    if low is None or high is None:
        return None
    proto = "tcp" if name in ("tcp", "6") else "udp"
    return PortSpan("ports", low, high, proto)


def open_ingress_by_group(module: Module) -> dict[str, list[tuple[RuleSet, str, PortSpan | None]]]:
    """Security group address → its ingress rules open to the internet (any form)."""
    out: dict[str, list[tuple[RuleSet, str, PortSpan | None]]] = {}
    for rule in security_group_rules(module, "ingress"):
        protocol_key = "ip_protocol" if "ip_protocol" in rule.anchors else "protocol"
        span = port_span(rule.values, protocol_key)
        if rule.entity.type in SG_TYPES:
            groups = [rule.entity]
        else:
            attr = rule.entity.attr("security_group_id")
            groups = module.targets(attr.value if attr else None)
        for _name, _anchor, cidr in open_cidr_anchors(rule):
            for sg in groups:
                if sg.type in SG_TYPES:
                    out.setdefault(sg.address, []).append((rule, cidr, span))
    return out


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


# -- account-level defaults ----------------------------------------------------------------------


def _provider_text(entity: Entity) -> str:
    attr = entity.attr("provider")
    return attr.value.text.strip() if attr is not None else ""


def account_default(
    module: Module,
    resource_type: str,
    argument: str,
    wanted: Any,
    for_entity: Entity,
    absent: Any = UNKNOWN,
) -> bool | None:
    """Whether an account-level default resource of the module (``aws_ebs_encryption_by_default``,
    ``aws_ec2_instance_metadata_defaults``) with the same provider sets ``argument`` to
    ``wanted`` (``absent`` is the argument's default): True, False (no such resource, or
    another value) or None (present but unknown)."""
    result: bool | None = False
    for default in module.of_type(resource_type):
        if _provider_text(default) != _provider_text(for_entity) or not exists(module, default):
            continue
        attr = default.attr(argument)
        value = module.cached_value(attr.value) if attr is not None else absent
        if value is not UNKNOWN and value == wanted:
            return True
        if value is UNKNOWN:
            result = None
    return result


# -- fixes ---------------------------------------------------------------------------------------


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


def set_value_fix(
    module: Module,
    finding: Finding,
    title: str,
    name: str,
    value: bool | str,
    *,
    preferred: bool = True,
) -> list[Fix]:
    """Replace the literal value of the attribute the finding is on, or add ``name`` to the
    block whose header the finding is on."""
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
        edit = editor.insert_attribute(where.entity, where.block, name, text)
    return [Fix(title, (edit,), preferred=preferred)]
