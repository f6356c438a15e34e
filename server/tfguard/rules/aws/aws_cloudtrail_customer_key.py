from __future__ import annotations

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._support import key_argument_fixes
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class CloudtrailCustomerKey(Check):
    id = "aws-cloudtrail-customer-key"
    title = "CloudTrail logs are not encrypted with a customer-managed KMS key"
    severity = Severity.LOW
    rationale = (
        "Without kms_key_id CloudTrail log files are encrypted with S3-managed keys (SSE-S3): "
        "anyone who can read the log bucket can read the whole account's API history, "
        "including resource names, IP addresses and request parameters. SSE-KMS with a "
        "customer-managed key adds a separate kms:Decrypt permission that you grant only to "
        "auditors and incident responders, and logs each use of the key."
    )
    remediation = (
        "Create an aws_kms_key whose policy lets cloudtrail.amazonaws.com encrypt "
        "(kms:GenerateDataKey*) for this trail and lets your auditors decrypt, and set the "
        "trail's kms_key_id to its ARN."
    )
    links = (
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#kms_key_id",
    )
    aliases = (
        "CKV_AWS_35",
        "AVD-AWS-0015",
        "AWS-0015",
        "aws-cloudtrail-enable-at-rest-encryption",
        "aws-cloudtrail-encryption-customer-managed-key",
    )
    bad_example = """
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-cloudtrail-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}
"""
    good_example = """
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-cloudtrail-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.cloudtrail.arn
}
"""
    resource_types = ("aws_cloudtrail",)
    attribute = "kms_key_id"
    condition = NotEmpty()
    message = (
        "CloudTrail {address} sets an empty kms_key_id: its logs are readable by anyone who "
        "can read the log bucket"
    )
    missing_message = (
        "CloudTrail {address} has no kms_key_id: its logs are readable by anyone who can read "
        "the log bucket"
    )
    fix_description = (
        "Sets kms_key_id to the module's only aws_kms_key, else to a new variable "
        "<trail>_trail_kms_key_arn declared in variables.tf without a default (a plan asks "
        "for it). The key policy must let cloudtrail.amazonaws.com encrypt for the trail, or "
        "log delivery stops. Not offered when an empty value comes from a variable."
    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return key_argument_fixes(
            module,
            finding,
            "kms_key_id",
            "{name}_trail_kms_key_arn",
            "ARN of the customer-managed KMS key that encrypts the logs of "
            "{address}; its key policy must let CloudTrail use it",
            "Encrypt the trail's logs with {key} (its key policy must allow CloudTrail)",
        )
