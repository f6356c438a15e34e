from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import identity_grants
from tfguard.rules.aws._iam_actions import (
    CREDENTIAL_ACTIONS,
    grants_permissions_management,
    matches,
    shown,
)
from tfguard.rules.base import Context, Rule

_CREDENTIALS = frozenset(a.lower() for a in CREDENTIAL_ACTIONS)


class IamPermissionsManagementAllResources(Rule):
    id = "aws-iam-permissions-management-all-resources"
    title = "IAM policy allows permissions-management actions on every resource"
    severity = Severity.HIGH
    rationale = (
        "Permissions-management actions change who may do what: attaching and writing IAM "
        "policies, creating KMS grants, rewriting bucket, queue, topic and repository policies. "
        'Allowed on Resource "*" without a condition, they let the holder give itself (or '
        "anyone, through a resource policy) access to any resource of the account, so a leaked "
        "credential becomes an account takeover or a public bucket."
    )
    remediation = (
        "Scope each permissions-management action to the ARNs it must manage (the roles of "
        "one application, one key, one bucket), or protect it with a condition such as "
        "iam:PermissionsBoundary or aws:ResourceTag."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy",
    )
    aliases = ("CKV_AWS_109", "CKV_AWS_289")
    bad_example = """
resource "aws_iam_role_policy" "ops" {
  name = "ops"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:AttachRolePolicy", "s3:PutBucketPolicy"]
      Resource = "*"
    }]
  })
}
"""
    good_example = """
resource "aws_iam_role_policy" "ops" {
  name = "ops"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:AttachRolePolicy"]
      Resource = "arn:aws:iam::123456789012:role/app-*"
      Condition = {
        ArnEquals = { "iam:PolicyARN" = "arn:aws:iam::123456789012:policy/app-read" }
      }
    }]
  })
}
"""
    fix_description = (
        "No automatic fix: the resources to manage are known only to the owner; narrowing "
        "them is a change of what the principal may do."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for found in identity_grants(ctx.module):
            if not found.unconstrained:
                continue
            # iam:PassRole is aws-iam-passrole-all-roles's, the actions that return
            # credentials aws-iam-credentials-exposure's; "*" and "service:*" are the
            # wildcard rules'.
            actions = [
                a
                for a in found.specific_actions()
                if grants_permissions_management(a)
                and not matches(a, "iam:PassRole")
                and a.lower() not in _CREDENTIALS
            ]
            if not actions:
                continue
            entity = found.statement.entity
            yield ctx.report(
                entity,
                found.statement.anchor,
                f"{entity.address} allows permissions-management actions {shown(actions)} on "
                'all resources ("*") without a condition: the holder can grant itself access '
                "to anything",
                data={"actions": actions},
            )
