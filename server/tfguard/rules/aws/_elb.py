"""Load balancers for the ELB rules (no rules here): which kind of load balancer a listener or
an ``aws_lb`` is, read the way the provider defaults it."""

from __future__ import annotations

from tfguard.evaluate import UNKNOWN, Value
from tfguard.module import Entity, Module
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.values import as_string

LB_TYPES = ("aws_lb", "aws_alb")
LISTENER_TYPES = ("aws_lb_listener", "aws_alb_listener")


def lb_type(module: Module, lb: Entity) -> Value:
    """``application`` (the provider's default), ``network`` or ``gateway``; UNKNOWN when the
    type comes from a value that cannot be read."""
    if lb.attr("load_balancer_type") is None:
        return "application"
    value = as_string(module.attr_value(lb, "load_balancer_type", UNKNOWN))
    return value.lower() if isinstance(value, str) else UNKNOWN


def listener_lb(module: Module, listener: Entity) -> Entity | None:
    """The ``aws_lb`` a listener's load_balancer_arn refers to, when it is in the module."""
    attr = listener.attr("load_balancer_arn")
    if attr is None:
        return None
    found = [t for t in expression_targets(module, attr.value) if t.type in LB_TYPES]
    return found[0] if len(found) == 1 else None


def listener_lb_type(module: Module, listener: Entity) -> Value:
    """The kind of load balancer a listener belongs to; UNKNOWN when it is not in the module."""
    lb = listener_lb(module, listener)
    return UNKNOWN if lb is None else lb_type(module, lb)
