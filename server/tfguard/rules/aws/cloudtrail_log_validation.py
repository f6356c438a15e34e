from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._support import check_flag, live, set_attributes_fix
from tfguard.rules.base import Context, Rule


class CloudtrailLogValidation(Rule):
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
    fix_description = "Sets enable_log_file_validation = true (applied in place)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for trail in live(ctx.module, "aws_cloudtrail"):
            yield from check_flag(
                ctx,
                trail,
                "enable_log_file_validation",
                missing=f"CloudTrail {trail.address} does not enable log file validation: "
                "tampering with delivered logs cannot be detected",
                disabled=f"CloudTrail {trail.address} disables log file validation: "
                "tampering with delivered logs cannot be detected",
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_attributes_fix(
            module,
            finding,
            "Set enable_log_file_validation = true",
            {"enable_log_file_validation": "true"},
        )
