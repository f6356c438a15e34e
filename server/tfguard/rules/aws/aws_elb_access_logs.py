from __future__ import annotations

from tfguard.evaluate import Value
from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Equals, NotEquals
from tfguard.rules.kit.declarative import Check, When


class ElbAccessLogs(Check):
    id = "aws-elb-access-logs"
    title = "Load balancer does not write access logs"
    severity = Severity.LOW
    rationale = (
        "Access logs record every request a load balancer received: the client address, the "
        "path, the target and the response code. Without them, an attack through the load "
        "balancer (credential stuffing, scanning, exploitation of a target) leaves no trace "
        "outside the targets themselves, and an incident cannot be reconstructed."
    )
    remediation = (
        "Add an access_logs block with bucket = <log bucket> and enabled = true (the bucket's "
        "policy must let the region's Elastic Load Balancing account write to it)."
    )
    links = (
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb#access_logs",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elb#access_logs",
    )
    aliases = ("CKV_AWS_91", "CKV_AWS_92")
    bad_example = """
resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

  access_logs {
    bucket = "acme-lb-logs"
  }
}
"""
    good_example = """
resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

  access_logs {
    bucket  = "acme-lb-logs"
    enabled = true
  }
}

resource "aws_elb" "legacy" {
  name               = "legacy"
  availability_zones = ["eu-west-1a"]

  listener {
    instance_port      = 8080
    instance_protocol  = "http"
    lb_port            = 443
    lb_protocol        = "https"
    ssl_certificate_id = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
  }

  access_logs {
    bucket = "acme-lb-logs"
  }
}
"""
    resource_types = ("aws_lb", "aws_alb", "aws_elb")
    attribute = "access_logs.enabled"
    condition = Equals(True)
    default = False
    # Gateway load balancers have no access logs.
    only_if = (When("load_balancer_type", NotEquals("gateway"), "application"),)
    message = "Load balancer {address} has access logs switched off ({attribute} = {value})"
    missing_message = "Load balancer {address} does not write access logs"
    fix_description = (
        "No automatic fix: access logs need a bucket whose policy lets Elastic Load Balancing "
        "write to it."
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        # aws_lb: enabled defaults to false even when a bucket is given; aws_elb (classic):
        # an access_logs block is enabled unless it says otherwise.
        return entity.type == "aws_elb" and entity.block.block("access_logs") is not None
