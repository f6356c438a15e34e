from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live
from tfguard.syntax import Block


class IamNoUserAccessKeys(Rule):
    id = "aws-iam-no-user-access-keys"
    title = "Long-lived IAM access key created for a user"
    severity = Severity.LOW
    rationale = (
        "An aws_iam_access_key is a credential that never expires: it gets copied into CI "
        "settings, laptops and scripts, and is the most common AWS credential found in leaks. "
        "Without pgp_key its secret is also stored in plain text in the Terraform state, so "
        "everyone who can read the state can use it. A key for a user named root is "
        "reported as critical: it is either the account's root user, whose keys can do "
        "anything and cannot be limited by any policy, or an IAM user named to look like it."
    )
    remediation = (
        "Give workloads a role instead: an instance profile, IRSA or EKS Pod Identity, a "
        "Lambda execution role, or OIDC federation for CI (GitHub Actions, GitLab, HCP "
        "Terraform). When a key is unavoidable (a third-party tool without role support), "
        "encrypt it with pgp_key, rotate it, and scope the user to the minimum."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_access_key",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html",
    )
    aliases = ("CKV_AWS_348", "AVD-AWS-0141", "AWS-0141", "aws-iam-no-root-access-keys")
    bad_example = """
resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}
"""
    good_example = """
resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::123456789012:role/ci-runner" }
    }]
  })
}

resource "aws_iam_access_key" "retired" {
  user   = "legacy-sync"
  status = "Inactive"
}
"""
    fix_description = (
        "No automatic fix: deleting or deactivating the key breaks whatever uses it; the "
        "workload must move to a role (or IAM Identity Center) first."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for key in live(ctx.module, "aws_iam_access_key"):
            if ctx.attr_value(key, "status", "Active") == "Inactive":
                continue
            user_attr = key.attr("user")
            related: list[tuple[Entity, Block, str]] = [
                (user, user.block, f"the user {user.address}")
                for user in ctx.module.targets(user_attr.value if user_attr else None)
                if user.type == "aws_iam_user"
            ]
            if ctx.attr_value(key, "user", None) == "root":
                yield ctx.report(
                    key,
                    user_attr if user_attr is not None else key.block,
                    f"{key.address} creates an access key for the user root: root keys can do "
                    "anything in the account and no policy can limit them",
                    severity=Severity.CRITICAL,
                    related=related,
                    data={"pgpKey": ctx.attr_value(key, "pgp_key", None) not in (None, "")},
                )
            elif ctx.attr_value(key, "pgp_key", None) in (None, ""):  # unset, null or empty
                yield ctx.report(
                    key,
                    key.block,
                    f"{key.address} creates a long-lived access key whose secret is stored in "
                    "plain text in the state (no pgp_key): use a role instead",
                    severity=Severity.MEDIUM,
                    related=related,
                    data={"pgpKey": False},
                )
            else:
                yield ctx.report(
                    key,
                    key.block,
                    f"{key.address} creates a long-lived access key: use a role instead",
                    related=related,
                    data={"pgpKey": True},
                )
