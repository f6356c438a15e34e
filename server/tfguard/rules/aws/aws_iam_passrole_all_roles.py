from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import identity_grants
from tfguard.rules.aws._iam_actions import matches
from tfguard.rules.base import Context, Rule


def _any_role(resource: str) -> bool:
    """``*``, or a role ARN whose name is a wildcard (``arn:aws:iam::123456789012:role/*``)."""
    text = resource.strip()
    if text == "*":
        return True
    parts = text.split(":", 5)
    if len(parts) < 6 or parts[2] != "iam":
        return False
    return parts[5] in ("*", "role/*", "role*")


def _limits_passed_service(variable: object) -> bool:
    """A condition key that limits where the role goes (an unreadable key may, too)."""
    return not isinstance(variable, str) or variable.lower() in (
        "iam:passedtoservice",
        "iam:associatedresourcearn",
    )


class IamPassroleAllRoles(Rule):
    id = "aws-iam-passrole-all-roles"
    title = "IAM policy allows passing any role to a service"
    severity = Severity.HIGH
    rationale = (
        "iam:PassRole lets a principal hand a role to a service (an EC2 instance, a Lambda "
        "function, a CloudFormation stack), which then acts with that role's permissions. "
        'Allowed on every role ("*" or role/*) and for every service, the holder can launch '
        "a function or an instance with the most privileged role of the account and use it: "
        "one of the classic AWS privilege-escalation paths."
    )
    remediation = (
        "Limit iam:PassRole to the ARNs of the roles the principal must pass, and add a "
        "condition on iam:PassedToService naming the service that receives them."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document",
    )
    aliases = ("AVD-AWS-0342", "AWS-0342", "aws-iam-filter-passrole-access")
    bad_example = """
data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
}
"""
    good_example = """
data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::123456789012:role/app-task"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}
"""
    fix_description = (
        "No automatic fix: which roles may be passed, and to which service, is known only to "
        "the owner."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for found in identity_grants(ctx.module):
            grant = found.grant
            # "*" and "iam:*" are the wildcard rules' findings.
            if not any(matches(a, "iam:PassRole") for a in found.specific_actions()):
                continue
            if not any(_any_role(r) for r in grant.resources):
                continue
            if any(_limits_passed_service(c.variable) for c in found.statement.conditions):
                continue
            entity = found.statement.entity
            wildcard = next(r for r in grant.resources if _any_role(r))
            yield ctx.report(
                entity,
                found.statement.anchor,
                f'{entity.address} allows iam:PassRole on "{wildcard}" with no '
                "iam:PassedToService condition: any role can be handed to any service",
            )
