from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals, OneOf
from tfguard.rules.kit.declarative import Check, SetValue, When

MODERN = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")


class CloudfrontMinimumTls(Check):
    id = "aws-cloudfront-minimum-tls"
    title = "CloudFront distribution accepts viewer TLS versions older than 1.2"
    severity = Severity.MEDIUM
    rationale = (
        "With a custom certificate, viewer_certificate.minimum_protocol_version picks the "
        "oldest TLS version and the ciphers viewers may use. Anything before TLSv1.2_2021 "
        "still allows TLS 1.0/1.1 or weak CBC ciphers, which PCI DSS forbids and which a "
        "downgrade attack can force. (With the default *.cloudfront.net certificate the "
        "version cannot be chosen, so that case is not reported.)"
    )
    remediation = 'Set viewer_certificate { minimum_protocol_version = "TLSv1.2_2021" }.'
    links = (
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#minimum_protocol_version",
    )
    aliases = ("CKV_AWS_174", "AVD-AWS-0013", "AWS-0013", "aws-cloudfront-use-secure-tls-policy")
    bad_example = """
resource "aws_cloudfront_distribution" "site" {
  enabled = true
  aliases = ["www.example.com"]

  viewer_certificate {
    acm_certificate_arn      = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1"
  }
}
"""
    good_example = """
resource "aws_cloudfront_distribution" "site" {
  enabled = true
  aliases = ["www.example.com"]

  viewer_certificate {
    acm_certificate_arn      = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}

resource "aws_cloudfront_distribution" "preview" {
  enabled = true

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
"""
    resource_types = ("aws_cloudfront_distribution",)
    attribute = "viewer_certificate.minimum_protocol_version"
    condition = OneOf(*MODERN)
    default = "TLSv1"  # aws 4.x-6.x: TLSv1 when a custom certificate is used
    only_if = (When("viewer_certificate.cloudfront_default_certificate", NotEquals(True), False),)
    message = "CloudFront distribution {address} accepts viewers on {value}"
    missing_message = (
        "CloudFront distribution {address} accepts viewers on TLSv1 (minimum_protocol_version "
        "is not set)"
    )
    fix = SetValue(
        '"TLSv1.2_2021"',
        "Require TLS 1.2 (TLSv1.2_2021)",
        applicability="unsafe",
        consequence="viewers limited to older TLS versions can no longer connect",
    )
    fix_description = (
        'Sets minimum_protocol_version = "TLSv1.2_2021" (offered, not applied by fix-all: '
        "viewers limited to older TLS versions can no longer connect)."
    )
