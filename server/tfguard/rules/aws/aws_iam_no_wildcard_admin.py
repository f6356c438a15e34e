from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import (
    is_all_actions,
    is_any_resource,
    permission_statements,
)
from tfguard.rules.base import Context, Rule


class IamNoWildcardAdmin(Rule):
    id = "aws-iam-no-wildcard-admin"
    title = "IAM policy allows every action on every resource"
    severity = Severity.CRITICAL
    rationale = (
        'A statement that allows "*" actions on "*" resources grants full administrator '
        "access: whoever holds it can read every secret, delete every resource and create new "
        "credentials for themselves. It breaks least privilege and turns any leaked credential "
        "into a full account compromise."
    )
    remediation = (
        "List the actions the principal needs and the ARNs it needs them on. Start from IAM "
        "Access Analyzer's generated policy or the service's managed job-function policies."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html",
    )
    aliases = (
        "CKV_AWS_1",
        "CKV_AWS_62",
        "CKV_AWS_63",
        "AVD-AWS-0057",
        "AWS-0057",
        "aws-iam-no-policy-wildcards",
    )
    bad_example = """
resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}
"""
    good_example = """
resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:GetObject"]
      Resource = "arn:aws:s3:::acme-artifacts/*"
    }]
  })
}
"""
    fix_description = (
        "No automatic fix: any narrower policy removes permissions something may rely on, "
        "and which actions and resources are needed is known only to the owner (IAM Access "
        "Analyzer can generate a policy from CloudTrail activity)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for st in permission_statements(ctx.module):
            if not st.allows:
                continue
            if any(is_all_actions(a) for a in st.actions) and any(
                is_any_resource(r) for r in st.resources
            ):
                yield ctx.report(
                    st.entity,
                    st.anchor,
                    f'{st.entity.address} allows all actions ("*") on all resources ("*"): '
                    "full administrator access",
                    data={"sid": st.sid if isinstance(st.sid, str) else None},
                )
