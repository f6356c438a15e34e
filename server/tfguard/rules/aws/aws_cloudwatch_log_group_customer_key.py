from __future__ import annotations

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._support import key_argument_fixes
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class CloudwatchLogGroupCustomerKey(Check):
    id = "aws-cloudwatch-log-group-customer-key"
    title = "CloudWatch log group is not encrypted with a customer-managed KMS key"
    severity = Severity.LOW
    rationale = (
        "Without kms_key_id a log group is encrypted with a key CloudWatch Logs owns: anyone "
        "granted logs:GetLogEvents (often broadly, through ReadOnlyAccess) reads request "
        "bodies, tokens and personal data that applications log by mistake. With a "
        "customer-managed key, reading also needs kms:Decrypt on that key, the key can be "
        "disabled in an incident, and every use is recorded in CloudTrail."
    )
    remediation = (
        "Create an aws_kms_key whose policy allows logs.<region>.amazonaws.com to use it for "
        "this log group (kms:EncryptionContext:aws:logs:arn) and set kms_key_id to its ARN."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_group#kms_key_id",
    )
    aliases = (
        "CKV_AWS_158",
        "AVD-AWS-0017",
        "AWS-0017",
        "aws-cloudwatch-log-group-customer-key",
    )
    bad_example = """
resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/orders"
  retention_in_days = 400
}
"""
    good_example = """
resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/orders"
  retention_in_days = 400
  kms_key_id        = aws_kms_key.logs.arn
}
"""
    resource_types = ("aws_cloudwatch_log_group",)
    attribute = "kms_key_id"
    condition = NotEmpty()
    message = "CloudWatch log group {address} sets an empty kms_key_id"
    missing_message = (
        "CloudWatch log group {address} is not encrypted with a customer-managed KMS key"
    )
    fix_description = (
        "Sets kms_key_id to the module's only aws_kms_key, else to a new variable "
        "<name>_kms_key_arn declared without a default (a plan asks for it). The key policy "
        "must allow CloudWatch Logs to use the key, or the change fails."
    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return key_argument_fixes(
            module,
            finding,
            "kms_key_id",
            "{name}_kms_key_arn",
            "ARN of the customer-managed KMS key that encrypts the log group {address}; its "
            "key policy must let CloudWatch Logs use it",
            "Encrypt the log group with {key} (its key policy must allow CloudWatch Logs)",
        )
