from __future__ import annotations

import re
from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.policy import Condition, Statement
from tfguard.rules.aws._iam import trust_related, trust_statements
from tfguard.rules.aws._iam_actions import matches
from tfguard.rules.base import Context, Rule

# A whole account as principal: its id, or its root ARN.
_ACCOUNT = re.compile(r"^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:root)$")
# Condition keys that pin who, or under which proof, may assume the role.
_PINNING_KEYS = frozenset(
    {
        "aws:multifactorauthpresent",
        "aws:multifactorauthage",
        "sts:externalid",
        "aws:principalarn",
        "aws:userid",
        "aws:sourceidentity",
        "sts:sourceidentity",
    }
)


def _pins(condition: Condition) -> bool:
    """A condition that requires MFA, an external id or names the callers; an unreadable
    condition may, too."""
    variable, test = condition.variable, condition.test
    if not isinstance(variable, str) or not isinstance(test, str):
        return True
    key = variable.lower()
    if key not in _PINNING_KEYS:
        return False
    if key == "aws:multifactorauthpresent":
        wanted = "false" if "null" in test.lower() else "true"
        return any(str(v).lower() == wanted for v in condition.values)
    if test.lower().split(":")[-1].startswith(("stringnot", "arnnot", "null")):
        return False
    if any(not isinstance(v, str) for v in condition.values):
        return True  # an unreadable value may pin the caller
    # An empty external id or a "*" caller pins nothing.
    return bool(condition.values) and all(v.strip() not in ("", "*") for v in condition.values)


def _accounts(st: Statement) -> list[str]:
    return [
        i.strip()
        for i in st.principals.get("AWS", [])
        if isinstance(i, str) and _ACCOUNT.match(i.strip())
    ]


class IamAccountTrustWithoutMfa(Rule):
    id = "aws-iam-account-trust-without-mfa"
    title = "Role trusts a whole AWS account without requiring MFA or an external id"
    severity = Severity.MEDIUM
    rationale = (
        "A trust policy whose principal is an account (123456789012 or its :root ARN) lets "
        "every user and role of that account that holds sts:AssumeRole assume the role, "
        "including leaked access keys and automation nobody reviewed. For roles people assume, "
        "requiring aws:MultiFactorAuthPresent keeps a stolen key from being enough; for a third "
        "party's account, sts:ExternalId prevents the confused-deputy attack."
    )
    remediation = (
        "Add a condition to the trust statement: Bool aws:MultiFactorAuthPresent = true for "
        "roles people assume, StringEquals sts:ExternalId for a vendor's account, or "
        "ArnLike aws:PrincipalArn naming the roles that may assume it."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role",
    )
    aliases = ("CKV_AWS_61",)
    bad_example = """
resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
    }]
  })
}
"""
    good_example = """
data "aws_iam_policy_document" "admin_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role" "admin" {
  name               = "admin"
  assume_role_policy = data.aws_iam_policy_document.admin_trust.json
}
"""
    fix_description = (
        "No automatic fix: whether the role needs MFA (people), an external id (a vendor) or a "
        "list of caller ARNs (automation) depends on who assumes it."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for st in trust_statements(ctx.module):
            if not st.allows:
                continue
            actions = [a for a in st.actions if isinstance(a, str)]
            if not any(matches(a, "sts:AssumeRole") for a in actions):
                continue
            accounts = _accounts(st)
            if not accounts or any(_pins(c) for c in st.conditions):
                continue
            yield ctx.report(
                st.entity,
                st.anchor,
                f"{st.entity.address} lets any principal of account {accounts[0]} assume the "
                "role without MFA, an external id or a named caller",
                related=trust_related(ctx.module, st),
            )
