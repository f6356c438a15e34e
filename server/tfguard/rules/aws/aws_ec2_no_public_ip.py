from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.base import Context
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.fixing import set_value_fix
from tfguard.rules.kit.instances import instance_evaluators, nested_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool

ARGUMENT = "associate_public_ip_address"


class Ec2NoPublicIp(Check):
    id = "aws-ec2-no-public-ip"
    title = "EC2 instance or launch template associates a public IP address"
    severity = Severity.MEDIUM
    rationale = (
        "An instance with a public IP address is reachable from the internet as soon as one "
        "of its security groups admits a port; it also bypasses the NAT gateway, so its "
        "outbound traffic leaves from an address nobody allow-listed. Instances belong in "
        "private subnets, reached through a load balancer, SSM Session Manager or a VPN."
    )
    remediation = (
        "Remove associate_public_ip_address (or set it to false), launch the instance into a "
        "private subnet, and put a load balancer in front of anything that must serve the "
        "internet."
    )
    links = (
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance#associate_public_ip_address",
    )
    aliases = (
        "CKV_AWS_88",
        "AVD-AWS-0009",
        "AWS-0009",
    )
    bad_example = """
resource "aws_instance" "web" {
  ami                         = data.aws_ami.al2023.id
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public.id
  associate_public_ip_address = true
}

resource "aws_launch_template" "workers" {
  image_id      = data.aws_ami.al2023.id
  instance_type = "t3.micro"

  network_interfaces {
    associate_public_ip_address = "true"
    security_groups             = [aws_security_group.workers.id]
  }
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_instance" "web" {
  ami           = data.aws_ami.al2023.id
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.private.id
}

resource "aws_launch_template" "workers" {
  image_id      = data.aws_ami.al2023.id
  instance_type = "t3.micro"

  network_interfaces {
    associate_public_ip_address = false
    security_groups             = [aws_security_group.workers.id]
  }
}
"""
    fix_description = (
        "Sets associate_public_ip_address = false"
        " (offered when the value is written in place, not taken from a variable). Unsafe "
        "(tfguard fix --unsafe-fixes): Terraform replaces the instance, which loses its "
        "public address and whatever reached it there."
    )

    resource_types = ("aws_instance", "aws_launch_configuration")
    attribute = ARGUMENT
    condition = NotEquals(True)  # left out: the subnet decides (aws-vpc-subnet-no-public-ip)
    per_instance = True
    message = "{address} associates a public IP address (associate_public_ip_address = true)"

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield from super().check(ctx)
        # Launch templates also write the argument in the attribute form of
        # network_interfaces, which a path does not reach.
        module = ctx.module
        for template in live(module, "aws_launch_template"):
            evaluators = instance_evaluators(module, template)
            seen: set[int] = set()
            for nic in nested_rule_sets(module, template, "network_interfaces", evaluators):
                anchor = nic.anchors.get(ARGUMENT)
                if (
                    anchor is None
                    or id(anchor) in seen
                    or as_bool(nic.values.get(ARGUMENT)) is not True
                ):
                    continue
                seen.add(id(anchor))
                yield ctx.report(
                    template,
                    anchor,
                    f"{template.address} gives the instances it launches a public IP address "
                    "(network_interfaces.associate_public_ip_address = true)",
                    data={"attribute": ARGUMENT},
                )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_value_fix(
            module,
            finding,
            "Do not associate a public IP address",
            ARGUMENT,
            False,
            applicability="unsafe",
            consequence="the instance is replaced and loses its public address",
        )
