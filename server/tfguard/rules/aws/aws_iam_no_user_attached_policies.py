from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.module import Entity
from tfguard.rules.base import Context, Rule
from tfguard.syntax import Attribute, Block


class IamNoUserAttachedPolicies(Rule):
    id = "aws-iam-no-user-attached-policies"
    title = "IAM policy attached directly to a user"
    severity = Severity.LOW
    rationale = (
        "Permissions granted user by user drift apart, outlive the job they were given for "
        "and are hard to review; CIS AWS Foundations asks that users receive permissions only "
        "through groups. Users with their own policies are usually also users with long-lived "
        "access keys, where a role would do."
    )
    remediation = (
        "Attach the policy to a group and add the user to it (aws_iam_group_policy_attachment "
        "+ aws_iam_user_group_membership), or better, give people access through IAM Identity "
        "Center and workloads through roles."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#use-groups-for-permissions",
        "https://docs.aws.amazon.com/singlesignon/latest/userguide/what-is.html",
    )
    aliases = ("CKV_AWS_40", "AVD-AWS-0143", "AWS-0143")
    bad_example = """
resource "aws_iam_user" "deployer" {
  name = "deployer"
}

resource "aws_iam_user_policy_attachment" "deployer" {
  user       = aws_iam_user.deployer.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}
"""
    good_example = """
resource "aws_iam_group" "deployers" {
  name = "deployers"
}

resource "aws_iam_group_policy_attachment" "deployers" {
  group      = aws_iam_group.deployers.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}

resource "aws_iam_policy_attachment" "ops" {
  name       = "ops"
  roles      = ["ops"]
  users      = []
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
"""
    fix_description = (
        "No automatic fix: moving the permissions to a group means choosing the group and "
        "who else is in it, which changes who holds them."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in ctx.resources("aws_iam_user_policy", "aws_iam_user_policy_attachment"):
            anchor: Attribute | Block = entity.attr("user") or entity.block
            kind = "an inline policy" if entity.type == "aws_iam_user_policy" else "a policy"
            yield ctx.report(
                entity,
                anchor,
                f"{entity.address} attaches {kind} directly to a user",
                related=self._users(ctx, entity, "user"),
            )
        for entity in ctx.resources("aws_iam_policy_attachment"):
            attr = entity.attr("users")
            if attr is None:
                continue
            users = ctx.value(attr.value)
            if users is UNKNOWN or not isinstance(users, list) or not users:
                continue
            yield ctx.report(
                entity,
                attr,
                f"{entity.address} attaches its policy directly to {len(users)} user(s)",
                related=self._users(ctx, entity, "users"),
            )

    def _users(
        self, ctx: Context, entity: Entity, attr_name: str
    ) -> list[tuple[Entity, Block, str]]:
        attr = entity.attr(attr_name)
        return [
            (user, user.block, f"the user {user.address}")
            for user in ctx.module.targets(attr.value if attr else None)
            if user.type == "aws_iam_user"
        ]
