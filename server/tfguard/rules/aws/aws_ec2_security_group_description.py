from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity
from tfguard.rules.aws._network import RULE_SET_TYPES, security_group_rules
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import RuleSet
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_string

# What the provider writes when a security group's description is left out.
PROVIDER_DEFAULT = "Managed by Terraform"


def _blank(value: object) -> bool:
    text = as_string(value) if value is not None else ""
    return isinstance(text, str) and text.strip() in ("", PROVIDER_DEFAULT)


class Ec2SecurityGroupDescription(Rule):
    id = "aws-ec2-security-group-description"
    subject_types = RULE_SET_TYPES
    title = "Security group or security group rule has no description"
    severity = Severity.LOW
    rationale = (
        "A security group or rule without a description (or with the provider's "
        '"Managed by Terraform") says nothing about why a port is open or for whom. During '
        "a review or an incident nobody can tell a required rule from a leftover one, so "
        "stale openings stay, and the console and AWS Config show no purpose for them."
    )
    remediation = (
        "Give every aws_security_group a description of what it protects, and every ingress "
        "and egress rule (inline blocks, aws_security_group_rule, "
        "aws_vpc_security_group_ingress_rule / _egress_rule) a description of who may "
        "connect and why."
    )
    links = (
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group#description",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_security_group_ingress_rule#description",
    )
    aliases = (
        "CKV_AWS_23",
        "AVD-AWS-0099",
        "AWS-0099",
        "aws-ec2-add-description-to-security-group",
        "aws-vpc-add-description-to-security-group",
        "AVD-AWS-0124",
        "AWS-0124",
        "aws-ec2-add-description-to-security-group-rule",
        "aws-vpc-add-description-to-security-group-rule",
    )
    bad_example = """
resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_security_group" "web" {
  name        = "web"
  description = "Web servers behind the internal load balancer"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
"""
    fix_description = (
        "No automatic fix: only the author knows what a group or rule is for (and changing "
        "a security group's description replaces the group)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for group in live(module, "aws_security_group"):
            attr = group.attr("description")
            if attr is None:
                yield ctx.report(
                    group,
                    group.block,
                    f"Security group {group.address} has no description (the provider "
                    f'writes "{PROVIDER_DEFAULT}")',
                )
                continue
            value = module.cached_value(attr.value)
            if value is not UNKNOWN and _blank(value):
                yield ctx.report(
                    group, attr, f"Security group {group.address} has no real description"
                )
        seen: set[int] = set()
        for kind in ("ingress", "egress"):
            for rule in security_group_rules(module, kind):
                finding = self._rule(ctx, rule, kind, seen)
                if finding is not None:
                    yield finding

    def _rule(self, ctx: Context, rule: RuleSet, kind: str, seen: set[int]) -> Finding | None:
        anchor = rule.anchor("description")
        if id(anchor) in seen:
            return None
        value = rule.get("description", None)
        if value is UNKNOWN or not _blank(value):
            return None
        seen.add(id(anchor))
        entity: Entity = rule.entity
        if rule.holder is entity.block:
            message = f"Security group rule {entity.address} has no description"
        else:
            message = f"An {kind} rule of security group {entity.address} has no description"
        return ctx.report(entity, anchor, message)
