from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.aws._checks import delete_block_lines
from tfguard.rules.aws._network import instance_evaluators, nested_rule_sets
from tfguard.rules.base import Anchor, Context, Rule, anchor_range
from tfguard.rules.kit.fixing import unique_name
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.resources import addressable, live
from tfguard.syntax import Attribute, Block

DEFAULT_SG = "aws_default_security_group"


class Ec2DefaultSecurityGroupRestricted(Rule):
    id = "aws-ec2-default-security-group-restricted"
    title = "Default security group of a VPC allows traffic"
    severity = Severity.MEDIUM
    rationale = (
        "Every VPC has a default security group that resources join when no group is named. "
        "AWS creates it allowing all traffic between its members and all outbound traffic, "
        "so a forgotten instance or endpoint lands in a group that talks to everything. CIS "
        "asks that the default group allow nothing, which Terraform enforces with an "
        "aws_default_security_group without rules. A default group with rules written out "
        "is reported as medium; a VPC that leaves its default group as AWS created it as low."
    )
    remediation = (
        "Manage each VPC's default group with an aws_default_security_group that has no "
        "ingress or egress rules, and give every resource a security group of its own."
    )
    links = (
        "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group",
    )
    aliases = (
        "CKV2_AWS_12",
        "AVD-AWS-0173",
        "AWS-0173",
        "aws-ec2-restrict-all-in-default-sg",
    )
    bad_example = """
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }
}
"""
    good_example = """
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id
}
"""
    fix_description = (
        "For a VPC without one, adds an aws_default_security_group without rules, which "
        "removes AWS's allow-all rules from the default group; for a rule written in a "
        "default group, removes it. Both are unsafe: resources that use the default group "
        "lose that traffic."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        groups = live(module, DEFAULT_SG)
        for group in groups:
            yield from self._rules(ctx, group)
        covered: set[int] = set()
        for group in groups:
            attr = group.attr("vpc_id")
            if attr is None:
                continue  # the default VPC's group
            targets = expression_targets(module, attr.value)
            vpcs = [t for t in targets if t.type == "aws_vpc"]
            if not vpcs and module.cached_value(attr.value) is not None:
                return  # a group for a VPC this module cannot see: stay silent for all
            covered.update(id(v) for v in vpcs)
        for vpc in live(module, "aws_vpc"):
            if id(vpc) not in covered:
                yield ctx.report(
                    vpc,
                    vpc.block,
                    f"VPC {vpc.address} leaves its default security group as AWS creates it "
                    "(all traffic between members, all outbound): no aws_default_security_group "
                    "restricts it",
                    severity=Severity.LOW,
                    data={"vpc": True},
                )

    def _rules(self, ctx: Context, group: Entity) -> Iterator[Finding]:
        module = ctx.module
        evaluators = instance_evaluators(module, group)
        seen: set[int] = set()
        for kind in ("ingress", "egress"):
            for rule in nested_rule_sets(module, group, kind, evaluators):
                # A block is one rule; the attribute form ``ingress = [...]`` is reported once.
                anchor: Anchor = rule.holder
                if not isinstance(anchor, Block):
                    anchor = group.attr(kind) or anchor
                if id(anchor) in seen:
                    continue
                seen.add(id(anchor))
                yield ctx.report(
                    group,
                    anchor,
                    f"Default security group {group.address} has an {kind} rule: the default "
                    "group should allow no traffic",
                    data={"vpc": False, "kind": kind},
                )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if not finding.data.get("vpc"):
            return _remove_rule(module, finding)
        vpc = entity_for(module, finding)
        if vpc is None or not addressable(vpc):
            return []
        name = unique_name(module, DEFAULT_SG, vpc.name)
        text = f'resource "{DEFAULT_SG}" "{name}" {{\n  vpc_id = {vpc.address}.id\n}}'
        edit = Editor(module).insert_after(vpc, text)
        title = (
            "Remove every rule from the default security group (resources using it lose traffic)"
        )
        return [Fix(title, (edit,), "unsafe", "resources that use the default group lose traffic")]


def _remove_rule(module: Module, finding: Finding) -> list[Fix]:
    """Remove the default group's rule block (or its ingress/egress argument)."""
    group = entity_for(module, finding)
    kind = finding.data.get("kind")
    if group is None or kind not in ("ingress", "egress"):
        return []
    nodes: list[Block | Attribute] = [*group.block.blocks_of(str(kind))]
    attr = group.attr(str(kind))
    if attr is not None:
        nodes.append(attr)
    node = next((n for n in nodes if group.abs(anchor_range(n)) == finding.range), None)
    edit = delete_block_lines(module, group, node) if node is not None else None
    if edit is None:
        return []
    return [
        Fix(
            f"Remove the {kind} rule from the default security group",
            (edit,),
            "unsafe",
            "resources that use the default group lose this traffic",
        )
    ]
