from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class ElbDeletionProtection(Check):
    id = "aws-elb-deletion-protection"
    title = "Load balancer can be deleted without disabling deletion protection"
    severity = Severity.LOW
    rationale = (
        "A load balancer is the public entry point of its service: deleting it by mistake (a "
        "wrong terraform destroy, a renamed resource, a console click) takes the service down "
        "and releases its DNS name and, for network load balancers, its addresses. Deletion "
        "protection makes the deletion an explicit two-step change."
    )
    remediation = "Set enable_deletion_protection = true on production load balancers."
    links = (
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb#enable_deletion_protection",
    )
    aliases = ("CKV_AWS_150",)
    bad_example = """
resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}
"""
    good_example = """
resource "aws_lb" "web" {
  name                       = "web"
  subnets                    = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  enable_deletion_protection = true
}
"""
    resource_types = ("aws_lb", "aws_alb")
    attribute = "enable_deletion_protection"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    message = "Load balancer {address} has deletion protection off ({attribute} = {value})"
    missing_message = "Load balancer {address} does not enable deletion protection"
    fix = SetValue("true", "Enable deletion protection")
    fix_description = (
        "Sets enable_deletion_protection = true (a later terraform destroy must switch it off "
        "first)."
    )
