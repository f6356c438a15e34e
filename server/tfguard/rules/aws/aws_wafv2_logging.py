from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.declarative import Relation


class Wafv2Logging(Relation):
    id = "aws-wafv2-logging"
    title = "WAFv2 web ACL does not log the requests it inspects"
    severity = Severity.LOW
    rationale = (
        "A web ACL's logs record every request it inspected, which rule matched and what it "
        "did. Without an aws_wafv2_web_acl_logging_configuration, blocked attacks cannot be "
        "analysed, false positives that block real users cannot be found, and rules cannot "
        "be tuned from evidence."
    )
    remediation = (
        "Add an aws_wafv2_web_acl_logging_configuration with resource_arn = the web ACL's ARN "
        "and a log destination (a CloudWatch log group, S3 bucket or Firehose stream whose "
        "name starts with aws-waf-logs-); redact authorization headers with redacted_fields."
    )
    links = (
        "https://docs.aws.amazon.com/waf/latest/developerguide/logging.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl_logging_configuration",
    )
    aliases = ("CKV2_AWS_31",)
    bad_example = """
resource "aws_wafv2_web_acl" "edge" {
  name  = "edge"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "edge"
    sampled_requests_enabled   = true
  }
}
"""
    good_example = """
resource "aws_wafv2_web_acl" "edge" {
  name  = "edge"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "edge"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_logging_configuration" "edge" {
  resource_arn            = aws_wafv2_web_acl.edge.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]
}
"""
    resource_types = ("aws_wafv2_web_acl",)
    companion_types = ("aws_wafv2_web_acl_logging_configuration",)
    link = "resource_arn"
    message = "WAFv2 web ACL {address} has no logging configuration"
    fix_description = (
        "No automatic fix: the log destination (a log group, bucket or Firehose stream named "
        "aws-waf-logs-*) must exist first."
    )
