from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class CloudfrontOriginHttps(Check):
    id = "aws-cloudfront-origin-https"
    title = "CloudFront talks to a custom origin over plain HTTP"
    severity = Severity.MEDIUM
    rationale = (
        'A custom origin with origin_protocol_policy "http-only" (or "match-viewer", which '
        "uses HTTP whenever the viewer did) fetches content between the edge and the origin "
        "unencrypted, over the internet: the viewer sees HTTPS while requests, cookies and "
        "responses travel in clear text on the second leg."
    )
    remediation = (
        'Set custom_origin_config { origin_protocol_policy = "https-only" } with '
        'origin_ssl_protocols = ["TLSv1.2"], and serve a certificate on the origin.'
    )
    links = (
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#origin_protocol_policy",
    )
    aliases = ("CKV2_AWS_72",)
    bad_example = """
resource "aws_cloudfront_distribution" "api" {
  enabled = true

  origin {
    domain_name = "api.internal.example.com"
    origin_id   = "api"

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "http-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
}
"""
    good_example = """
resource "aws_cloudfront_distribution" "api" {
  enabled = true

  origin {
    domain_name = "api.internal.example.com"
    origin_id   = "api"

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
}
"""
    resource_types = ("aws_cloudfront_distribution",)
    attribute = "origin.custom_origin_config.origin_protocol_policy"
    condition = Equals("https-only")
    message = "CloudFront distribution {address} reaches its origin with {value}"
    # The origin must serve HTTPS with a valid certificate first.
    fix = SetValue(
        '"https-only"',
        "Reach the origin over HTTPS only",
        applicability="unsafe",
        consequence="the origin must serve HTTPS with a certificate CloudFront trusts",
    )
    fix_description = (
        'Sets origin_protocol_policy = "https-only" (offered, not applied by fix-all: the '
        "origin must serve HTTPS with a certificate CloudFront trusts)."
    )
