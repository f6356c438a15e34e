from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals, NotEquals
from tfguard.rules.kit.declarative import Check, SetValue, When


class ElbInternetFacing(Check):
    id = "aws-elb-internet-facing"
    title = "Load balancer is internet-facing"
    severity = Severity.INFO
    rationale = (
        "A load balancer is internet-facing unless internal = true: it gets public addresses "
        "and a public DNS name, and every listener is reachable from the internet as far as "
        "its security groups allow. That is right for a public site and wrong for an internal "
        "API or an admin interface; this finding asks to confirm which one it is."
    )
    remediation = (
        "Set internal = true for load balancers that only serve the VPC or peered networks; "
        "keep public ones behind a WAF and security groups that allow only their ports."
    )
    links = (
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#load-balancer-scheme",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb#internal",
    )
    aliases = ("AVD-AWS-0053", "AWS-0053", "aws-elb-alb-not-public")
    bad_example = """
resource "aws_lb" "admin" {
  name    = "admin"
  subnets = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}
"""
    good_example = """
resource "aws_lb" "admin" {
  name     = "admin"
  internal = true
  subnets  = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}
"""
    resource_types = ("aws_lb", "aws_alb", "aws_elb")
    attribute = "internal"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: internet-facing
    only_if = (When("load_balancer_type", NotEquals("gateway"), "application"),)
    message = "Load balancer {address} is internet-facing ({attribute} = {value})"
    missing_message = "Load balancer {address} is internet-facing (internal is not set)"
    # Replaces the load balancer and takes a public service off the internet.
    fix = SetValue(
        "true",
        "Make the load balancer internal (replaces it)",
        applicability="unsafe",
        consequence="the load balancer is replaced and is no longer reachable from the internet",
    )
    fix_description = (
        "Sets internal = true (offered, never applied by fix-all: the load balancer is "
        "replaced and stops being reachable from the internet)."
    )
