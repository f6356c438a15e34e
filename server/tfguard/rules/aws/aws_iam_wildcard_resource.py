from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import StatementGrant, identity_grants
from tfguard.rules.aws._iam_actions import (
    CREDENTIAL_ACTIONS,
    EXFILTRATION_ACTIONS,
    granted,
    grants_permissions_management,
    grants_write,
    is_scopable,
    shown,
)
from tfguard.rules.base import Context, Rule


def _reported_elsewhere(found: StatementGrant) -> bool:
    """The statement is another rule's finding: it allows write or permissions-management
    actions, or reads secrets, on every resource."""
    actions = found.specific_actions()
    return any(grants_write(a) or grants_permissions_management(a) for a in actions) or bool(
        granted(actions, (*EXFILTRATION_ACTIONS, *CREDENTIAL_ACTIONS))
    )


class IamWildcardResource(Rule):
    id = "aws-iam-wildcard-resource"
    title = 'IAM policy allows scopable actions on Resource "*"'
    severity = Severity.LOW
    rationale = (
        'Resource "*" extends a statement to every resource its actions apply to, today\'s '
        "and every one created later: s3:ListBucket on every bucket, dynamodb:Query on every "
        "table, kms:DescribeKey on every key. Where the actions can name resources, listing "
        "them keeps a read-only role from mapping and reading the whole account. Actions "
        'whose only resource is "*" (ec2:DescribeInstances, s3:ListAllMyBuckets) are not '
        "reported: they cannot be scoped."
    )
    remediation = (
        'Replace "*" with the ARNs the actions are needed on, or move the actions that can '
        'only take "*" into a statement of their own.'
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document",
    )
    aliases = ("CKV_AWS_355", "CKV_AWS_356")
    bad_example = """
data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["dynamodb:Query", "dynamodb:GetItem"]
    resources = ["*"]
  }
}
"""
    good_example = """
data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["dynamodb:Query", "dynamodb:GetItem"]
    resources = ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]
  }

  statement {
    actions   = ["ec2:DescribeInstances", "s3:ListAllMyBuckets"]
    resources = ["*"]
  }
}
"""
    fix_description = (
        "No automatic fix: the resources the actions are needed on are known only to the owner."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for found in identity_grants(ctx.module):
            if not found.unconstrained or found.broad_actions():
                continue  # "*" and "service:*" on "*" are the wildcard rules' findings
            actions = [a for a in found.specific_actions() if is_scopable(a)]
            if not actions or _reported_elsewhere(found):
                continue
            entity = found.statement.entity
            yield ctx.report(
                entity,
                found.statement.anchor,
                f'{entity.address} allows {shown(actions)} on all resources ("*"): these '
                "actions can be limited to the resources they are needed on",
                data={"actions": actions},
            )
