from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.resources import live


def _v2_logged(module: Module) -> tuple[set[int], bool]:
    """Distributions that deliver standard logs (v2) through an
    aws_cloudwatch_log_delivery_source; and whether every source's resource could be read."""
    out: set[int] = set()
    complete = True
    for source in live(module, "aws_cloudwatch_log_delivery_source"):
        attr = source.attr("resource_arn")
        if attr is None:
            continue
        targets = [
            t
            for t in expression_targets(module, attr.value)
            if t.type == "aws_cloudfront_distribution"
        ]
        if targets:
            out.update(id(t) for t in targets)
        else:
            complete = False
    return out, complete


class CloudfrontLogging(Check):
    id = "aws-cloudfront-logging"
    title = "CloudFront distribution does not log viewer requests"
    severity = Severity.LOW
    rationale = (
        "Standard logs record every viewer request a distribution served: client address, "
        "path, status and edge location. Without them (logging_config, or a v2 log delivery "
        "source) attacks through the CDN, abuse of signed URLs and data scraping leave no "
        "record to investigate."
    )
    remediation = (
        'Add logging_config { bucket = "<bucket>.s3.amazonaws.com" } or deliver standard '
        "logs v2 with aws_cloudwatch_log_delivery_source (resource_arn = the distribution's "
        "ARN) and a delivery."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#logging_config",
    )
    aliases = ("CKV_AWS_86", "AVD-AWS-0010", "AWS-0010", "aws-cloudfront-enable-logging")
    bad_example = """
resource "aws_cloudfront_distribution" "site" {
  enabled = true
}
"""
    good_example = """
resource "aws_cloudfront_distribution" "site" {
  enabled = true

  logging_config {
    bucket = "acme-cdn-logs.s3.amazonaws.com"
    prefix = "site/"
  }
}

resource "aws_cloudfront_distribution" "docs" {
  enabled = true
}

resource "aws_cloudwatch_log_delivery_source" "docs" {
  name         = "docs"
  log_type     = "ACCESS_LOGS"
  resource_arn = aws_cloudfront_distribution.docs.arn
}
"""
    resource_types = ("aws_cloudfront_distribution",)
    attribute = "logging_config.bucket"
    condition = NotEmpty()
    message = "CloudFront distribution {address} logs to an empty bucket name"
    missing_message = "CloudFront distribution {address} does not log viewer requests"
    fix_description = "No automatic fix: logs need a bucket (or log delivery) to go to."

    def subjects(self, module: Module) -> Iterable[Entity]:
        logged, complete = _v2_logged(module)
        if not complete:
            return []  # a delivery source for a distribution we cannot identify
        return [d for d in live(module, *self.resource_types) if id(d) not in logged]
