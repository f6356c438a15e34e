"""The AWS adapter of the network family: the rule sets of security groups and network ACLs
in every form Terraform accepts, their port spans and open CIDRs, and account-level defaults.

A "rule set" (:class:`tfguard.rules.kit.instances.RuleSet`) is one group of arguments that
describes a firewall rule: a nested ``ingress`` block, the ``content`` of a ``dynamic
"ingress"`` block (once per known ``for_each`` element), an object of the attribute form
``ingress = [{...}]``, or a standalone rule resource.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tfguard.evaluate import UNKNOWN
from tfguard.module import Entity, Module
from tfguard.rules.kit.instances import Anchor, RuleSet, resource_rule_sets
from tfguard.rules.kit.instances import instance_evaluators as instance_evaluators
from tfguard.rules.kit.instances import nested_rule_sets as nested_rule_sets
from tfguard.rules.kit.network import (
    ICMP_PROTOCOLS,
    PORT_PROTOCOLS,
    Ingress,
    PortSpan,
    Source,
    is_open_cidr,
)
from tfguard.rules.kit.resources import exists
from tfguard.rules.kit.values import as_number

SG_TYPES = ("aws_security_group", "aws_default_security_group")
# Every resource that holds security group rules (see security_group_rules).
RULE_SET_TYPES = (
    *SG_TYPES,
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
)


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

ALL_PROTOCOLS = frozenset({"-1", "all"})  # AWS spells "every protocol" these two ways


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
    low, high = as_number(values.get("from_port")), as_number(values.get("to_port"))
    if low is UNKNOWN or high is UNKNOWN:
        return None
    proto = "tcp" if name in ("tcp", "6") else "udp"
    return PortSpan("ports", int(low), int(high), proto)


def security_group_ingress(module: Module) -> Iterator[Ingress]:
    """Every ingress rule of the module's security groups, in every resource form, in the
    network family's shape: its port span, and for each CIDR argument the first range that
    admits the whole internet (the ranges that matter to the network rules)."""
    for rule in security_group_rules(module, "ingress"):
        protocol_key = "ip_protocol" if "ip_protocol" in rule.anchors else "protocol"
        span = port_span(rule.values, protocol_key)
        sources = [Source(cidr, name, anchor) for name, anchor, cidr in open_cidr_anchors(rule)]
        owner: Entity | None = rule.entity if rule.entity.type in SG_TYPES else None
        yield Ingress(rule.entity, rule, [span] if span is not None else None, sources, owner)


def open_ingress_by_group(module: Module) -> dict[str, list[tuple[RuleSet, str, PortSpan | None]]]:
    """Security group address → its ingress rules open to the internet (any form)."""
    out: dict[str, list[tuple[RuleSet, str, PortSpan | None]]] = {}
    for ingress in security_group_ingress(module):
        if not ingress.is_public:
            continue
        if ingress.owner is not None:
            groups = [ingress.owner]
        else:
            attr = ingress.entity.attr("security_group_id")
            groups = module.targets(attr.value if attr else None)
        span = ingress.spans[0] if ingress.spans else None
        for source in ingress.public_sources():
            for sg in groups:
                if sg.type in SG_TYPES:
                    out.setdefault(sg.address, []).append((ingress.rule_set, source.text, span))
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


def ebs_encryption_by_default(module: Module, entity: Entity) -> bool:
    """True when the module (maybe) turns on EBS encryption by default for this provider."""
    return (
        account_default(
            module, "aws_ebs_encryption_by_default", "enabled", True, entity, absent=True
        )
        is not False
    )
