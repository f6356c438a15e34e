from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class CloudtrailLogValidation(Check):
    id = "aws-cloudtrail-log-validation"
    title = "CloudTrail log file integrity validation is off"
    severity = Severity.MEDIUM
    rationale = (
        "With enable_log_file_validation CloudTrail delivers a signed digest every hour, so "
        "you can prove that no log file was modified or deleted after delivery. Without it, "
        "an intruder who reaches the log bucket can remove the record of what they did and "
        "nobody can tell; an audit trail that cannot be verified is weak evidence."
    )
    remediation = (
        "Set enable_log_file_validation = true, and verify with aws cloudtrail "
        "validate-logs when investigating."
    )
    links = (
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#enable_log_file_validation",
    )
    aliases = ("CKV_AWS_36", "AVD-AWS-0016", "AWS-0016", "aws-cloudtrail-enable-log-validation")
    bad_example = """
resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = "acme-cloudtrail-logs"
  is_multi_region_trail = true
}
"""
    good_example = """
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-cloudtrail-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}
"""
    resource_types = ("aws_cloudtrail",)
    attribute = "enable_log_file_validation"
    condition = Equals(True)
    default = False
    message = (
        "CloudTrail {address} disables log file validation: tampering with delivered logs "
        "cannot be detected"
    )
    missing_message = (
        "CloudTrail {address} does not enable log file validation: tampering with delivered "
        "logs cannot be detected"
    )
    fix = SetValue("true", "Set enable_log_file_validation = true", replace_expressions=True)
    fix_description = "Sets enable_log_file_validation = true (applied in place)."
