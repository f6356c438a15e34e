from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._support import as_bool, live, set_attributes_fix
from tfguard.rules.base import Context, Rule


class SqsQueueEncryption(Rule):
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
    fix_description = "Sets sqs_managed_sse_enabled = true (SQS-owned keys, no change for clients)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for queue in live(ctx.module, "aws_sqs_queue"):
            attr = queue.attr("sqs_managed_sse_enabled")
            if attr is None or as_bool(ctx.value(attr.value)) is not False:
                continue
            key = queue.attr("kms_master_key_id")
            if key is not None and ctx.value(key.value) not in ("", None):
                continue
            yield ctx.report(
                queue,
                attr,
                f"SQS queue {queue.address} turns off SQS-managed encryption and has no "
                "kms_master_key_id: its messages are stored unencrypted",
                data={"attribute": "sqs_managed_sse_enabled"},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_attributes_fix(
            module,
            finding,
            "Set sqs_managed_sse_enabled = true",
            {"sqs_managed_sse_enabled": "true"},
        )
