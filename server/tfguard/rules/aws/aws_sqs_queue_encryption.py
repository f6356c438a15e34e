from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Not, NotEmpty, NotEquals
from tfguard.rules.kit.declarative import Check, SetValue, When


class SqsQueueEncryption(Check):
    id = "aws-sqs-queue-encryption"
    title = "SQS queue has server-side encryption turned off"
    severity = Severity.MEDIUM
    rationale = (
        "Queues created since late 2022 are encrypted with SQS-owned keys (SSE-SQS) by "
        "default, and the provider leaves that default alone when sqs_managed_sse_enabled is "
        "not set. Setting it to false without a kms_master_key_id explicitly stores every "
        "message body unencrypted at rest, for as long as the queue retains it."
    )
    remediation = (
        "Remove sqs_managed_sse_enabled = false or set it to true, or use kms_master_key_id "
        "with a customer-managed key for access control and an audit trail of decryption."
    )
    links = (
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue#sqs_managed_sse_enabled",
    )
    aliases = ("CKV_AWS_27", "AVD-AWS-0096", "AWS-0096", "aws-sqs-enable-queue-encryption")
    bad_example = """
resource "aws_sqs_queue" "jobs" {
  name                    = "jobs"
  sqs_managed_sse_enabled = false
}
"""
    good_example = """
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sqs_queue" "payments" {
  name              = "payments"
  kms_master_key_id = aws_kms_key.messaging.arn
}
"""
    resource_types = ("aws_sqs_queue",)
    attribute = "sqs_managed_sse_enabled"
    condition = NotEquals(False)  # left out: SSE-SQS is the default
    only_if = (When("kms_master_key_id", Not(NotEmpty())),)
    message = (
        "SQS queue {address} turns off SQS-managed encryption and has no kms_master_key_id: "
        "its messages are stored unencrypted"
    )
    fix = SetValue("true", "Set sqs_managed_sse_enabled = true", replace_expressions=True)
    fix_description = "Sets sqs_managed_sse_enabled = true (SQS-owned keys, no change for clients)."
