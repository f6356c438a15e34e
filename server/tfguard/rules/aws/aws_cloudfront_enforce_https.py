from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.aws._paths import AnyPathCheck
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import SetValue


class CloudfrontEnforceHttps(AnyPathCheck):
    id = "aws-cloudfront-enforce-https"
    title = "CloudFront cache behavior serves viewers over plain HTTP"
    severity = Severity.HIGH
    rationale = (
        'A cache behavior with viewer_protocol_policy = "allow-all" answers HTTP requests '
        "with content instead of redirecting them: pages, cookies and tokens travel in clear "
        "text between the viewer and the edge, where they can be read and modified (script "
        "injection into pages served over HTTP)."
    )
    remediation = (
        'Set viewer_protocol_policy = "redirect-to-https" (or "https-only") in the '
        "default_cache_behavior and every ordered_cache_behavior."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#viewer_protocol_policy",
    )
    aliases = ("CKV_AWS_34", "AVD-AWS-0012", "AWS-0012")
    bad_example = """
resource "aws_cloudfront_distribution" "site" {
  enabled = true

  origin {
    domain_name = "acme-site.s3.eu-west-1.amazonaws.com"
    origin_id   = "site"
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
"""
    good_example = """
resource "aws_cloudfront_distribution" "site" {
  enabled = true

  origin {
    domain_name = "acme-site.s3.eu-west-1.amazonaws.com"
    origin_id   = "site"
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
"""
    resource_types = ("aws_cloudfront_distribution",)
    attribute = "default_cache_behavior.viewer_protocol_policy"
    attributes = (attribute, "ordered_cache_behavior.viewer_protocol_policy")
    condition = NotEquals("allow-all")
    message = "CloudFront distribution {address} serves viewers over HTTP ({value})"
    # API clients that do not follow redirects (POST over HTTP) stop working.
    fix = SetValue(
        '"redirect-to-https"',
        "Redirect viewers to HTTPS",
        applicability="unsafe",
        consequence="clients that do not follow redirects stop working",
    )
    fix_description = (
        'Sets viewer_protocol_policy = "redirect-to-https" (offered, not applied by fix-all: '
        "clients that do not follow redirects stop working)."
    )
