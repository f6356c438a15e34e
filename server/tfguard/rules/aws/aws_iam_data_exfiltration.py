from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import identity_grants
from tfguard.rules.aws._iam_actions import EXFILTRATION_ACTIONS, granted, shown
from tfguard.rules.base import Context, Rule


class IamDataExfiltration(Rule):
    id = "aws-iam-data-exfiltration"
    title = "IAM policy allows reading objects or secrets on every resource"
    severity = Severity.MEDIUM
    rationale = (
        's3:GetObject, ssm:GetParameter* and secretsmanager:GetSecretValue on Resource "*" '
        "read every object of every bucket and every parameter and secret of the account "
        "(those the resource policies do not forbid). Unrestricted s3:GetObject is behind "
        "many data leaks, and secrets read this way are the credentials of other systems."
    )
    remediation = (
        "Scope the read to the buckets (arn:aws:s3:::<bucket>/*), parameter paths "
        "(arn:aws:ssm:<region>:<account>:parameter/<app>/*) and secrets the workload needs."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document",
    )
    aliases = ("CKV_AWS_108", "CKV_AWS_288")
    bad_example = """
resource "aws_iam_role_policy" "app" {
  name = "app"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = "*"
    }]
  })
}
"""
    good_example = """
resource "aws_iam_role_policy" "app" {
  name = "app"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/*"
    }]
  })
}
"""
    fix_description = (
        "No automatic fix: the buckets, parameters and secrets the workload reads are known "
        "only to the owner."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for found in identity_grants(ctx.module):
            if not found.unconstrained:
                continue
            actions = granted(found.specific_actions(), EXFILTRATION_ACTIONS)
            if not actions:
                continue
            entity = found.statement.entity
            yield ctx.report(
                entity,
                found.statement.anchor,
                f'{entity.address} allows {shown(actions)} on all resources ("*") without a '
                "condition: every object, parameter or secret it reaches can be read",
                data={"actions": actions},
            )
