from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check


class CloudfrontGeoRestriction(Check):
    id = "aws-cloudfront-geo-restriction"
    title = "CloudFront distribution serves every country"
    severity = Severity.INFO
    rationale = (
        'restriction_type = "none" serves the content in every country. For an internal '
        "tool, a regional service or content licensed for some markets, an allow list of "
        "countries cuts away a large part of automated attack traffic and keeps the content "
        "where it may be served; for a global site, none is the right choice."
    )
    remediation = (
        'Where the audience is regional, set geo_restriction { restriction_type = "whitelist" '
        'locations = ["DE", "FR", ...] }.'
    )
    links = (
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/georestrictions.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#restrictions",
    )
    aliases = ("CKV_AWS_374",)
    bad_example = """
resource "aws_cloudfront_distribution" "intranet" {
  enabled = true

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
}
"""
    good_example = """
resource "aws_cloudfront_distribution" "intranet" {
  enabled = true

  restrictions {
    geo_restriction {
      restriction_type = "whitelist"
      locations        = ["DE", "AT", "CH"]
    }
  }
}
"""
    resource_types = ("aws_cloudfront_distribution",)
    attribute = "restrictions.geo_restriction.restriction_type"
    condition = NotEquals("none")
    message = "CloudFront distribution {address} serves every country (restriction_type none)"
    fix_description = "No automatic fix: the countries to serve depend on the audience."
