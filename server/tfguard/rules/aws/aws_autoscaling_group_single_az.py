from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_list, fully_known
from tfguard.syntax import SPLAT, Expr, Literal, Reference, Template, TupleExpr


def _single(module: Module, expr: Expr) -> bool:
    """One subnet or zone: a list written with one plain item (its value may be unknown,
    like a subnet's id before apply), or a value known to hold one distinct entry."""
    if isinstance(expr, TupleExpr):
        if len(expr.items) != 1:
            return False
        item = expr.items[0]
        if isinstance(item, Reference):
            return SPLAT not in item.steps
        return isinstance(item, (Literal, Template))
    items = as_list(module.cached_value(expr))
    return items is not UNKNOWN and fully_known(items) and len({str(i) for i in items}) == 1


class AutoscalingGroupSingleAz(Rule):
    id = "aws-autoscaling-group-single-az"
    title = "Auto Scaling group launches instances in a single Availability Zone"
    severity = Severity.INFO
    rationale = (
        "An Auto Scaling group given one subnet (vpc_zone_identifier) or one Availability "
        "Zone places every instance in the same zone: an outage of that zone takes the "
        "whole service down, and Auto Scaling cannot replace the instances elsewhere."
    )
    remediation = (
        "List subnets in at least two Availability Zones in vpc_zone_identifier (or two "
        "zones in availability_zones)."
    )
    links = (
        "https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-benefits.html#arch-AutoScalingMultiAZ",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_group#vpc_zone_identifier",
    )
    bad_example = """
resource "aws_autoscaling_group" "web" {
  name                = "web"
  min_size            = 2
  max_size            = 6
  vpc_zone_identifier = [aws_subnet.private_a.id]

  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}
"""
    good_example = """
resource "aws_autoscaling_group" "web" {
  name                = "web"
  min_size            = 2
  max_size            = 6
  vpc_zone_identifier = [aws_subnet.private_a.id, aws_subnet.private_b.id]

  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}
"""
    fix_description = "No automatic fix: the subnet of another zone has to be chosen."

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for group in live(module, "aws_autoscaling_group"):
            for argument in ("vpc_zone_identifier", "availability_zones"):
                attr = group.attr(argument)
                if attr is None:
                    continue
                if not _single(module, attr.value):
                    continue
                place = "one subnet" if argument == "vpc_zone_identifier" else "one zone"
                yield ctx.report(
                    group,
                    attr,
                    f"Auto Scaling group {group.address} launches its instances in {place} "
                    f"({argument} lists a single entry)",
                )
                break
