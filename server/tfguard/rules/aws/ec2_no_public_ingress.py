from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tfguard.findings import Finding, Severity
from tfguard.module import Entity
from tfguard.rules.aws.ec2_network import (
    SG_TYPES,
    PortSpan,
    RuleSet,
    open_cidr_anchors,
    port_span,
    security_group_rules,
)
from tfguard.rules.base import Anchor, Context, Rule

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


def severity_for(span: PortSpan | None) -> Severity:
    if span is None:
        return Severity.HIGH
    if span.kind == "icmp":
        return Severity.LOW
    if span.all_ports:
        return Severity.CRITICAL
    if span.kind == "ports":
        if any(span.covers(p) for p in SENSITIVE_PORTS):
            return Severity.CRITICAL
        if span.low == span.high and span.low in WEB_PORTS:
            return Severity.LOW
    return Severity.HIGH


def describe(span: PortSpan | None) -> str:
    return "on ports that could not be determined" if span is None else span.describe()


def join_spans(spans: list[PortSpan | None]) -> str:
    """``on port 22, port 443``: the spans of one argument, in order, without repeats."""
    texts = list(dict.fromkeys(describe(s) for s in spans))
    return ", ".join([texts[0], *(t.removeprefix("on ") for t in texts[1:])])


@dataclass(slots=True)
class _Exposure:
    """Every open rule reported on one argument (a dynamic block expands to many rules)."""

    rule: RuleSet
    anchor: Anchor
    argument: str
    cidrs: list[str] = field(default_factory=list)
    spans: list[PortSpan | None] = field(default_factory=list)


def _related(ctx: Context, entity: Entity) -> list[tuple[Entity, Anchor, str]]:
    if entity.type in SG_TYPES:
        return []
    attr = entity.attr("security_group_id")
    return [
        (sg, sg.block, f"the security group {sg.address}")
        for sg in ctx.module.targets(attr.value if attr else None)
        if sg.type in SG_TYPES
    ]


class Ec2NoPublicIngress(Rule):
    id = "aws-ec2-no-public-ingress"
    title = "Security group allows ingress from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        "An ingress rule open to 0.0.0.0/0 or ::/0 exposes the port to every host on the "
        "internet. Administrative and database ports (SSH, RDP, MySQL, PostgreSQL, Redis, "
        "Elasticsearch...) are scanned within minutes of exposure and brute-forced or exploited; "
        "all-ports rules expose every service the instance runs. The severity follows the "
        "ports: critical for all ports and sensitive ports, high for others, low for a single "
        "HTTP/HTTPS port or ICMP."
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

resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_security_group.bastion.id
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv6         = "::/0"
}
"""
    bad_example_findings = 2
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

resource "aws_vpc_security_group_ingress_rule" "https_from_vpc" {
  security_group_id = aws_security_group.bastion.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "10.0.0.0/16"
}
"""
    fix_description = (
        "No automatic fix: which sources should keep access (the VPC, a VPN or office range, "
        "another security group) is the author's decision."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        exposures: dict[tuple[int, int], _Exposure] = {}
        for rule in security_group_rules(ctx.module, "ingress"):
            protocol_key = "ip_protocol" if "ip_protocol" in rule.anchors else "protocol"
            span = port_span(rule.values, protocol_key)
            for name, anchor, cidr in open_cidr_anchors(rule):
                key = (id(rule.entity), id(anchor))
                exposure = exposures.setdefault(key, _Exposure(rule, anchor, name))
                if cidr not in exposure.cidrs:
                    exposure.cidrs.append(cidr)
                if span not in exposure.spans:
                    exposure.spans.append(span)
        for exposure in exposures.values():
            entity = exposure.rule.entity
            severity = max(severity_for(s) for s in exposure.spans)
            ports = join_spans(exposure.spans)
            cidrs = " and ".join(exposure.cidrs)
            yield ctx.report(
                entity,
                exposure.anchor,
                f"{entity.address} allows ingress from {cidrs} (the whole internet) {ports}",
                severity=severity,
                related=_related(ctx, entity),
                data={
                    "attribute": exposure.argument,
                    "cidr": exposure.cidrs[0],
                    "cidrs": exposure.cidrs,
                    "ports": [
                        [s.low, s.high] if s is not None and s.kind == "ports" else None
                        for s in exposure.spans
                    ],
                },
            )
