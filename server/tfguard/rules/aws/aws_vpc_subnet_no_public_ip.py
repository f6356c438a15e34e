from __future__ import annotations

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.fixing import set_value_fix


class VpcSubnetNoPublicIp(Check):
    id = "aws-vpc-subnet-no-public-ip"
    title = "Subnet gives every instance a public IP address"
    severity = Severity.LOW
    rationale = (
        "With map_public_ip_on_launch = true every instance and interface launched into the "
        "subnet gets a public IPv4 address, whether it needs one or not. A single permissive "
        "security group then exposes it to the internet; load balancers and NAT gateways do "
        "not need the setting, and public addresses are also billed."
    )
    remediation = (
        "Set map_public_ip_on_launch = false (the default), keep instances in private subnets "
        "behind a load balancer or NAT gateway, and assign an Elastic IP explicitly where a "
        "public address is really required."
    )
    links = (
        "https://docs.aws.amazon.com/vpc/latest/userguide/modify-subnets.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/subnet#map_public_ip_on_launch",
    )
    aliases = (
        "CKV_AWS_130",
        "AVD-AWS-0164",
        "AWS-0164",
        "aws-ec2-no-public-ip-subnet",
    )
    bad_example = """
resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}
"""
    good_example = """
resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
"""
    fix_description = (
        "Sets map_public_ip_on_launch = false"
        " (offered when the value is written in place, not taken from a variable). Unsafe "
        "(tfguard fix --unsafe-fixes): instances launched in the subnet no longer get a "
        "public address."
    )
    resource_types = ("aws_subnet",)
    attribute = "map_public_ip_on_launch"
    condition = NotEquals(True)  # left out: false, the provider's default
    per_instance = True
    message = (
        "{address} assigns a public IP address to every instance launched into it "
        "(map_public_ip_on_launch = true)"
    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        # Keeps the literal's quoting style (true or "true").
        return set_value_fix(
            module,
            finding,
            "Stop assigning public IP addresses",
            "map_public_ip_on_launch",
            False,
            applicability="unsafe",
            consequence="new instances in the subnet get no public address",
        )
