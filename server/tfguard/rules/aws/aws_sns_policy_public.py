from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import attached_statements, open_to_everyone
from tfguard.rules.base import Context, Rule


class SnsPolicyPublic(Rule):
    id = "aws-sns-policy-public"
    title = "SNS topic policy lets any principal use the topic"
    severity = Severity.HIGH
    rationale = (
        'A topic policy statement that allows Principal "*" without a condition on the '
        "caller lets every AWS account publish to the topic (spoofed alerts, spam to every "
        "subscriber, cost) or subscribe to it and receive every message it carries."
    )
    remediation = (
        "Name the principals that may publish or subscribe, or keep the wildcard only with a "
        "condition such as aws:SourceArn / aws:SourceAccount naming the publishing resource."
    )
    links = (
        "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic_policy",
    )
    aliases = ("CKV_AWS_169",)
    bad_example = """
resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

data "aws_iam_policy_document" "alerts" {
  statement {
    actions   = ["sns:Publish", "sns:Subscribe"]
    resources = [aws_sns_topic.alerts.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts.json
}
"""
    good_example = """
resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

data "aws_iam_policy_document" "alerts" {
  statement {
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["123456789012"]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts.json
}
"""
    fix_description = (
        "No automatic fix: which accounts or services must keep publishing or subscribing is "
        "known only to the owner."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for st, holder in attached_statements(ctx.module, "aws_sns_topic_policy", "aws_sns_topic"):
            if not open_to_everyone(st):
                continue
            related = [] if st.entity is holder else [(holder, holder.block, "the topic policy")]
            where = (
                holder.address
                if st.entity is holder
                else f"{st.entity.address} (the policy of {holder.address})"
            )
            yield ctx.report(
                st.entity,
                st.anchor,
                f'{where} lets any principal ("*") use the topic without a condition on the caller',
                related=related,
            )
