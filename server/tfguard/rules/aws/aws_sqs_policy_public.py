from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import attached_statements, open_to_everyone
from tfguard.rules.base import Context, Rule


class SqsPolicyPublic(Rule):
    id = "aws-sqs-policy-public"
    title = "SQS queue policy lets any principal use the queue"
    severity = Severity.HIGH
    rationale = (
        'A queue policy statement that allows Principal "*" without a condition on the '
        "caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID...) lets every AWS "
        "account send messages to the queue, and, depending on the actions, read and delete "
        "them: an attacker can inject work items into the consumers or drain the queue."
    )
    remediation = (
        "Name the principals that may use the queue (account roots, role ARNs, a service), "
        "or keep the wildcard only with a condition such as aws:SourceArn = the SNS topic or "
        "S3 bucket that publishes to it."
    )
    links = (
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue_policy",
    )
    aliases = ("CKV_AWS_168",)
    bad_example = """
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sqs_queue_policy" "jobs" {
  queue_url = aws_sqs_queue.jobs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.jobs.arn
    }]
  })
}
"""
    good_example = """
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sqs_queue_policy" "jobs" {
  queue_url = aws_sqs_queue.jobs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.jobs.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.jobs.arn } }
    }]
  })
}
"""
    fix_description = (
        "No automatic fix: which accounts, services or sources must keep using the queue is "
        "known only to the owner."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for st, holder in attached_statements(ctx.module, "aws_sqs_queue_policy", "aws_sqs_queue"):
            if not open_to_everyone(st):
                continue
            related = [] if st.entity is holder else [(holder, holder.block, "the queue policy")]
            where = (
                holder.address
                if st.entity is holder
                else f"{st.entity.address} (the policy of {holder.address})"
            )
            yield ctx.report(
                st.entity,
                st.anchor,
                f'{where} lets any principal ("*") use the queue without a condition on the caller',
                related=related,
            )
