from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import permission_statements
from tfguard.rules.base import Context, Rule


class IamNoAllowNotAction(Rule):
    id = "aws-iam-no-allow-not-action"
    title = "IAM policy allows with NotAction or NotResource"
    severity = Severity.HIGH
    rationale = (
        "NotAction with Allow grants every action except the listed ones, including every "
        "action of every service AWS adds later; NotResource with Allow grants the actions on "
        "every resource except the listed ones. Both invert least privilege and are how "
        "near-administrator policies (PowerUserAccess-style) are written. With Deny they are "
        "a legitimate guard rail."
    )
    remediation = (
        "Rewrite the statement with Action and Resource lists of what is allowed. Keep "
        "NotAction/NotResource for Deny statements (for example denying everything but "
        "iam:ChangePassword without MFA)."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
    )
    bad_example = """
resource "aws_iam_policy" "developers" {
  name = "developers"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      NotAction = ["iam:*", "organizations:*"]
      Resource  = "*"
    }]
  })
}
"""
    good_example = """
resource "aws_iam_policy" "require_mfa" {
  name = "require-mfa"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      NotAction = ["iam:ChangePassword", "sts:GetSessionToken"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}
"""
    fix_description = (
        "No automatic fix: turning NotAction into Action inverts what the statement allows, "
        "and removing the statement withdraws everything it granted; the actions to allow "
        "must be listed by the owner."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for st in permission_statements(ctx.module):
            if not st.allows:
                continue
            if st.not_actions:
                yield ctx.report(
                    st.entity,
                    st.anchor,
                    f"{st.entity.address} allows NotAction: every action except the listed "
                    "ones, including actions AWS adds later",
                    data={"element": "NotAction"},
                )
            elif st.not_resources:
                yield ctx.report(
                    st.entity,
                    st.anchor,
                    f"{st.entity.address} allows its actions on NotResource: every resource "
                    "except the listed ones",
                    severity=Severity.MEDIUM,
                    data={"element": "NotResource"},
                )
