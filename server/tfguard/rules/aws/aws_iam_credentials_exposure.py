from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import identity_grants
from tfguard.rules.aws._iam_actions import CREDENTIAL_ACTIONS, granted, is_scopable, shown
from tfguard.rules.base import Context, Rule


class IamCredentialsExposure(Rule):
    id = "aws-iam-credentials-exposure"
    title = "IAM policy allows actions that return credentials on every resource"
    severity = Severity.MEDIUM
    rationale = (
        "Some actions answer with credentials: iam:CreateAccessKey and iam:CreateLoginProfile "
        "create keys and passwords for users, sts:AssumeRole returns a role's session "
        "credentials, redshift:GetClusterCredentials and rds-db:connect give database access. "
        'Allowed on Resource "*" without a condition, the holder can obtain the credentials of '
        "every user, role or database the action reaches, not only the ones it was meant for."
    )
    remediation = (
        "Scope each action to the users, roles or databases it is needed for (for example "
        "iam:CreateAccessKey on arn:aws:iam::<account>:user/${aws:username}, sts:AssumeRole on "
        "named role ARNs), or add a condition that narrows it."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
        "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document",
    )
    aliases = ("CKV_AWS_107", "CKV_AWS_287")
    bad_example = """
data "aws_iam_policy_document" "ci" {
  statement {
    actions   = ["sts:AssumeRole"]
    resources = ["*"]
  }
}
"""
    good_example = """
data "aws_iam_policy_document" "ci" {
  statement {
    actions   = ["sts:AssumeRole"]
    resources = ["arn:aws:iam::123456789012:role/deploy"]
  }
}
"""
    fix_description = (
        "No automatic fix: which users, roles or databases the credentials are needed for is "
        "known only to the owner."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for found in identity_grants(ctx.module):
            if found.conditioned:
                continue
            actions = [
                a
                for a in granted(found.specific_actions(), CREDENTIAL_ACTIONS)
                if found.on_any_resource or not is_scopable(a)
            ]
            if not actions:
                continue
            entity = found.statement.entity
            iam_keys = [a for a in actions if a.startswith("iam:")]
            yield ctx.report(
                entity,
                found.statement.anchor,
                f"{entity.address} allows {shown(actions)} on all resources without a "
                "condition: these actions return credentials",
                severity=Severity.HIGH if iam_keys else None,
                data={"actions": actions},
            )
