from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue, When


class ElbDropInvalidHeaders(Check):
    id = "aws-elb-drop-invalid-headers"
    title = "Application load balancer passes invalid HTTP headers to its targets"
    severity = Severity.MEDIUM
    rationale = (
        "An application load balancer forwards header fields that do not follow the HTTP "
        "grammar unless drop_invalid_header_fields is true. Targets and proxies that parse "
        "such headers differently from the load balancer are open to request smuggling and "
        "header injection; dropping them at the edge removes the ambiguity."
    )
    remediation = "Set drop_invalid_header_fields = true on application load balancers."
    links = (
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb#drop_invalid_header_fields",
    )
    aliases = ("CKV_AWS_131", "AVD-AWS-0052", "AWS-0052")
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
  drop_invalid_header_fields = true
}

resource "aws_lb" "tcp" {
  name               = "tcp"
  load_balancer_type = "network"
  subnets            = ["subnet-0a1b2c3d"]
}
"""
    resource_types = ("aws_lb", "aws_alb")
    attribute = "drop_invalid_header_fields"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    only_if = (When("load_balancer_type", Equals("application"), "application"),)
    message = "Load balancer {address} forwards invalid header fields ({attribute} = {value})"
    missing_message = "Load balancer {address} forwards invalid header fields (not dropped)"
    # A target that relies on a malformed header (underscores in names) stops receiving it.
    fix = SetValue(
        "true",
        "Drop invalid header fields",
        applicability="unsafe",
        consequence="a target that relies on a malformed header stops receiving it",
    )
    fix_description = (
        "Sets drop_invalid_header_fields = true (offered, not applied by fix-all: a target "
        "that relies on a malformed header stops receiving it)."
    )
