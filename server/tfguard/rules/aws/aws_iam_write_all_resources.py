from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import identity_grants
from tfguard.rules.aws._iam_actions import CREDENTIAL_ACTIONS, grants_write, shown
from tfguard.rules.base import Context, Rule

_CREDENTIALS = frozenset(a.lower() for a in CREDENTIAL_ACTIONS)


class IamWriteAllResources(Rule):
    id = "aws-iam-write-all-resources"
    title = "IAM policy allows write actions on every resource"
    severity = Severity.MEDIUM
    rationale = (
        'A statement with Resource "*" and no condition gives its write actions (create, '
        "modify, delete, put, invoke...) on every resource of that type in the account: "
        "s3:PutObject on every bucket, lambda:UpdateFunctionCode on every function. A leaked "
        "credential or a compromised workload can then change or destroy resources it was never "
        "meant to touch. Only actions that can be scoped are reported: an action whose only "
        'resource is "*" (kms:CreateKey, cloudwatch:PutMetricData) cannot be granted any '
        "narrower."
    )
    remediation = (
        "List the ARNs the write actions are needed on (a bucket and its objects, the "
        "functions of one application), or add a condition that narrows them (aws:ResourceTag, "
        "aws:RequestedRegion)."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document",
    )
    aliases = ("CKV_AWS_111", "CKV_AWS_290")
    bad_example = """
data "aws_iam_policy_document" "uploader" {
  statement {
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "uploader" {
  name   = "uploader"
  policy = data.aws_iam_policy_document.uploader.json
}
"""
    good_example = """
data "aws_iam_policy_document" "uploader" {
  statement {
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:aws:s3:::acme-uploads/*"]
  }

  statement {
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "uploader" {
  name   = "uploader"
  policy = data.aws_iam_policy_document.uploader.json
}
"""
    fix_description = (
        "No automatic fix: which resources the actions are needed on is known only to the "
        "owner, and any guess would break the workload."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for found in identity_grants(ctx.module):
            if not found.unconstrained:
                continue
            # "*" and "service:*" are the wildcard rules' findings; the actions that return
            # credentials are aws-iam-credentials-exposure's.
            actions = [
                a
                for a in found.specific_actions()
                if grants_write(a) and a.lower() not in _CREDENTIALS
            ]
            if not actions:
                continue
            entity = found.statement.entity
            yield ctx.report(
                entity,
                found.statement.anchor,
                f'{entity.address} allows write actions {shown(actions)} on all resources ("*") '
                "without a condition",
                data={"actions": actions},
            )
