from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._network import (
    RULE_SET_TYPES,
    open_cidr_anchors,
    port_span,
    security_group_rules,
)
from tfguard.rules.base import Context, Rule


class Ec2NoUnrestrictedEgress(Rule):
    id = "aws-ec2-no-unrestricted-egress"
    subject_types = RULE_SET_TYPES
    title = "Security group allows egress to the whole internet on all ports"
    severity = Severity.LOW
    rationale = (
        "An egress rule to 0.0.0.0/0 or ::/0 on every port and protocol lets a compromised "
        "workload download tooling, reach command-and-control servers and exfiltrate data over "
        "any channel. Limiting egress to the ports the workload needs (HTTPS, DNS) or to VPC "
        "endpoints and prefix lists makes those steps harder and easier to spot."
    )
    remediation = (
        "Allow only the destinations and ports the workload needs: HTTPS (443) to the internet "
        "or through a proxy, database ports to the database security group, and AWS services "
        "through VPC endpoints or their managed prefix lists."
    )
    links = (
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    )
    aliases = (
        "CKV_AWS_382",
        "AVD-AWS-0104",
        "AWS-0104",
        "aws-ec2-no-public-egress-sgr",
        "aws-vpc-no-public-egress-sgr",
    )
    bad_example = """
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
    good_example = """
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id

  egress {
    description = "HTTPS to the internet"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
    fix_description = (
        "No automatic fix: which destinations and ports the workload needs cannot be "
        "inferred from the configuration."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[int, int]] = set()
        for rule in security_group_rules(ctx.module, "egress"):
            protocol_key = "ip_protocol" if "ip_protocol" in rule.anchors else "protocol"
            span = port_span(rule.values, protocol_key)
            if span is None or not span.all_ports:
                continue
            for name, anchor, cidr in open_cidr_anchors(rule):
                key = (id(rule.entity), id(anchor))
                if key in seen:
                    continue
                seen.add(key)
                yield ctx.report(
                    rule.entity,
                    anchor,
                    f"{rule.entity.address} allows egress to {cidr} (the whole internet) "
                    f"{span.describe()}",
                    data={"attribute": name, "cidr": cidr},
                )
