from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class CloudfrontWaf(Check):
    id = "aws-cloudfront-waf"
    title = "CloudFront distribution is not protected by a WAF web ACL"
    severity = Severity.LOW
    rationale = (
        "A distribution is the internet-facing edge of its application. Without a WAF web "
        "ACL (web_acl_id) nothing filters the requests it forwards: no managed rules against "
        "injection and known exploits, no rate limiting of credential stuffing or scraping, "
        "no way to block an attacking address quickly."
    )
    remediation = (
        "Create an aws_wafv2_web_acl with scope CLOUDFRONT (in us-east-1) using the AWS "
        "managed rule groups and a rate-based rule, and set web_acl_id to its ARN."
    )
    links = (
        "https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#web_acl_id",
    )
    aliases = ("CKV_AWS_68", "AVD-AWS-0011", "AWS-0011", "aws-cloudfront-enable-waf")
    bad_example = """
resource "aws_cloudfront_distribution" "site" {
  enabled = true
}
"""
    good_example = """
resource "aws_cloudfront_distribution" "site" {
  enabled    = true
  web_acl_id = aws_wafv2_web_acl.edge.arn
}
"""
    resource_types = ("aws_cloudfront_distribution",)
    attribute = "web_acl_id"
    condition = NotEmpty()
    message = "CloudFront distribution {address} has an empty web_acl_id"
    missing_message = "CloudFront distribution {address} has no WAF web ACL (web_acl_id)"
    fix_description = (
        "No automatic fix: a web ACL with rules suited to the application must be created first."
    )
