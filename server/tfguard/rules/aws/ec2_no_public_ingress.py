from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tfguard.evaluate import UNKNOWN, Evaluator, fully_known
from tfguard.findings import Finding, Severity
from tfguard.module import Entity
from tfguard.rules.base import Context, Rule
from tfguard.syntax import Attribute, Block

OPEN_CIDRS = frozenset({"0.0.0.0/0", "::/0"})
# Remote administration, databases, caches, search, container and file-sharing ports.
SENSITIVE_PORTS = frozenset(
    {
        20,
        21,
        22,
        23,
        135,
        137,
        138,
        139,
        445,
        1433,
        1521,
        2375,
        2376,
        2379,
        3306,
        3389,
        5432,
        5601,
        5900,
        5984,
        6379,
        7001,
        8020,
        9042,
        9200,
        9300,
        11211,
        27017,
    }
)
WEB_PORTS = frozenset({80, 443})


@dataclass(slots=True)
class IngressRule:
    entity: Entity
    block: Block  # the block holding the rule's arguments
    values: dict[str, Any]
    attributes: dict[str, Attribute]


def port_span(values: dict[str, Any], protocol_key: str) -> tuple[int, int] | None:
    """(from, to) of the rule; (0, 65535) for all traffic; None when unknown."""
    protocol = values.get(protocol_key, UNKNOWN)
    if protocol is UNKNOWN:
        return None
    if str(protocol).lower() in ("-1", "all"):
        return (0, 65535)
    low, high = values.get("from_port", UNKNOWN), values.get("to_port", UNKNOWN)
    if not isinstance(low, (int, float)) or not isinstance(high, (int, float)):
        return None
    if str(protocol).lower() in ("icmp", "1", "icmpv6", "58"):
        return (-1, -1)
    return (int(low), int(high))


def severity_for(span: tuple[int, int] | None) -> tuple[Severity, str]:
    if span is None:
        return Severity.HIGH, "on ports that could not be determined"
    low, high = span
    if (low, high) == (-1, -1):
        return Severity.LOW, "for ICMP"
    if low <= 0 and high >= 65535:
        return Severity.CRITICAL, "on all ports"
    ports = "port %d" % low if low == high else "ports %d-%d" % (low, high)
    if any(low <= p <= high for p in SENSITIVE_PORTS):
        return Severity.CRITICAL, ports
    if low in WEB_PORTS and high in WEB_PORTS and high - low <= 0:
        return Severity.LOW, ports
    return Severity.HIGH, ports


def _eval_block(ctx: Context, block: Block, evaluator: Evaluator) -> dict[str, Any]:
    return {name: evaluator.eval(attr.value) for name, attr in block.attributes.items()}


def ingress_rules(ctx: Context, kind: str = "ingress") -> Iterator[IngressRule]:
    """Every ingress (or egress) rule of the module, in all three resource forms."""
    for sg in ctx.resources("aws_security_group"):
        for block in sg.block.blocks_of(kind):
            yield IngressRule(
                sg, block, _eval_block(ctx, block, ctx.module.evaluator()), block.attributes
            )
        for dyn in sg.block.blocks_of("dynamic"):
            if dyn.labels != (kind,):
                continue
            content = dyn.block("content")
            if content is None:
                continue
            iterator = ctx.value(dyn.attr("iterator").value) if dyn.attr("iterator") else kind
            items = ctx.value(dyn.attr("for_each").value) if dyn.attr("for_each") else UNKNOWN
            evaluator = ctx.module.evaluator()
            if fully_known(items) and isinstance(items, (list, dict)):
                pairs = items.items() if isinstance(items, dict) else enumerate(items)
                for key, value in pairs:
                    evaluator.bindings = [{str(iterator): {"key": key, "value": value}}]
                    yield IngressRule(
                        sg, content, _eval_block(ctx, content, evaluator), content.attributes
                    )
            else:
                yield IngressRule(
                    sg, content, _eval_block(ctx, content, evaluator), content.attributes
                )
    for rule in ctx.resources("aws_security_group_rule"):
        if ctx.attr_value(rule, "type") == kind:
            yield IngressRule(
                rule,
                rule.block,
                _eval_block(ctx, rule.block, ctx.module.evaluator()),
                rule.block.attributes,
            )
    resource = f"aws_vpc_security_group_{kind}_rule"
    for rule in ctx.resources(resource):
        yield IngressRule(
            rule,
            rule.block,
            _eval_block(ctx, rule.block, ctx.module.evaluator()),
            rule.block.attributes,
        )


def open_cidr_attributes(rule: IngressRule) -> Iterator[tuple[Attribute, str]]:
    for name in ("cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"):
        attr = rule.attributes.get(name)
        if attr is None:
            continue
        value = rule.values.get(name)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str) and v.strip() in OPEN_CIDRS:
                yield attr, v.strip()
                break


class Ec2NoPublicIngress(Rule):
    id = "aws-ec2-no-public-ingress"
    title = "Security group allows ingress from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        "An ingress rule open to 0.0.0.0/0 or ::/0 exposes the port to every host on the "
        "internet. Administrative and database ports (SSH, RDP, MySQL, PostgreSQL, Redis, "
        "Elasticsearch...) are scanned within minutes of exposure and brute-forced or exploited; "
        "all-ports rules expose every service the instance runs."
    )
    remediation = (
        "Restrict the source to known ranges (the VPC's CIDR, a VPN or office range, or a "
        "security group), and reach administrative ports through SSM Session Manager or a "
        "bastion instead of the internet."
    )
    links = (
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
    )
    aliases = (
        "CKV_AWS_24",
        "CKV_AWS_25",
        "CKV_AWS_260",
        "CKV_AWS_277",
        "AVD-AWS-0107",
        "AWS-0107",
        "aws-ec2-no-public-ingress-sgr",
    )
    bad_example = """
resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
    good_example = """
resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
"""
    fix_description = (
        "Replaces the open range with the VPC's CIDR when the group's VPC is in the module, "
        "or with a new list variable that forces a decision at plan time."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for rule in ingress_rules(ctx):
            protocol_key = "ip_protocol" if "ip_protocol" in rule.attributes else "protocol"
            span = port_span(rule.values, protocol_key)
            severity, ports = severity_for(span)
            for attr, cidr in open_cidr_attributes(rule):
                related = []
                if rule.entity.type != "aws_security_group":
                    for sg in ctx.module.targets(
                        rule.entity.attr("security_group_id").value
                        if rule.entity.attr("security_group_id")
                        else None
                    ):
                        related.append((sg, sg.block, f"the security group {sg.address}"))
                yield ctx.report(
                    rule.entity,
                    attr,
                    f"{rule.entity.address} allows ingress from {cidr} (the whole internet) "
                    f"{ports}",
                    severity=severity,
                    related=related,
                    data={"attribute": attr.name, "cidr": cidr, "ports": list(span or ())},
                )
