from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotOneOf
from tfguard.rules.kit.declarative import Check


class ElbClassicPlaintextListener(Check):
    id = "aws-elb-classic-plaintext-listener"
    title = "Classic load balancer listener accepts plain HTTP or TCP"
    severity = Severity.HIGH
    rationale = (
        "A classic load balancer listener with lb_protocol http or tcp receives client "
        "traffic unencrypted: credentials, cookies and data can be read and altered on the "
        "way. Classic load balancers cannot redirect HTTP to HTTPS, so a plaintext listener "
        "serves the application in clear text."
    )
    remediation = (
        'Use lb_protocol = "https" (or "ssl") with an ACM certificate in ssl_certificate_id, '
        "and move HTTP-to-HTTPS redirects to an application load balancer."
    )
    links = (
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-listener-config.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elb#listener",
    )
    aliases = ("CKV_AWS_127",)
    bad_example = """
resource "aws_elb" "legacy" {
  name               = "legacy"
  availability_zones = ["eu-west-1a"]

  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}
"""
    good_example = """
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
}
"""
    resource_types = ("aws_elb",)
    attribute = "listener.lb_protocol"
    condition = NotOneOf("http", "tcp", ignore_case=True)
    message = "Classic load balancer {address} has a listener on plaintext {value}"
    fix_description = (
        "No automatic fix: an HTTPS or SSL listener needs a certificate, and clients of the "
        "plaintext port must move."
    )
