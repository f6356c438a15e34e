from __future__ import annotations

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._support import key_argument_fixes
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class SnsTopicEncryption(Check):
    id = "aws-sns-topic-encryption"
    title = "SNS topic does not encrypt messages at rest"
    severity = Severity.MEDIUM
    rationale = (
        "SNS topics get no server-side encryption by default: without kms_master_key_id, "
        "messages waiting for delivery (and their retries) are stored without it. Topics "
        "often carry alerts, order events or notifications with personal data, and "
        "server-side encryption is what compliance frameworks expect for them."
    )
    remediation = (
        "Set kms_master_key_id to a customer-managed KMS key whose key policy lets the "
        "publishing services (CloudWatch alarms, EventBridge, S3 events) use it. The AWS "
        "managed key alias/aws/sns also encrypts, but AWS services cannot publish to a topic "
        "encrypted with it."
    )
    links = (
        "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic#kms_master_key_id",
    )
    aliases = ("CKV_AWS_26", "AVD-AWS-0095", "AWS-0095", "aws-sns-enable-topic-encryption")
    bad_example = """
resource "aws_sns_topic" "orders" {
  name = "orders"
}
"""
    good_example = """
resource "aws_kms_key" "messaging" {
  description         = "SNS and SQS messages"
  enable_key_rotation = true
}

resource "aws_sns_topic" "orders" {
  name              = "orders"
  kms_master_key_id = aws_kms_key.messaging.arn
}
"""
    resource_types = ("aws_sns_topic",)
    attribute = "kms_master_key_id"
    condition = NotEmpty()
    message = (
        "SNS topic {address} sets an empty kms_master_key_id: its messages are stored without "
        "server-side encryption"
    )
    missing_message = (
        "SNS topic {address} has no kms_master_key_id: its messages are stored without "
        "server-side encryption"
    )
    fix_description = (
        "Sets kms_master_key_id to the module's only aws_kms_key, else to a new variable "
        "<topic>_topic_kms_key_arn declared in variables.tf without a default (a plan asks "
        "for it). The key policy must let every publisher use the key, or deliveries from AWS "
        "services stop. Not offered when an empty value comes from a variable."
    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return key_argument_fixes(
            module,
            finding,
            "kms_master_key_id",
            "{name}_topic_kms_key_arn",
            "ARN of the customer-managed KMS key that encrypts the messages of "
            "{address}; its key policy must let every publisher use it",
            "Encrypt the topic with {key} (its key policy must allow every publisher)",
        )
