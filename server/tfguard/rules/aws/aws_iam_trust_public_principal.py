from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.policy import Condition, Statement
from tfguard.rules.aws._iam import is_any_aws_principal, trust_related, trust_statements
from tfguard.rules.base import Context, Rule

# Condition keys that pin who may assume the role to known accounts or organisations.
RESTRICTING_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:userid",
        "sts:externalid",
    }
)
_NEGATED_TESTS = ("stringnot", "arnnot", "null")


def _restricts(condition: Condition) -> bool | None:
    """True when the condition pins the caller, False when it does not, None when unknown."""
    if not isinstance(condition.variable, str) or not isinstance(condition.test, str):
        return None
    if condition.variable.lower() not in RESTRICTING_KEYS:
        return False
    test = condition.test.lower().split(":")[-1]
    if test.startswith(_NEGATED_TESTS):
        return False
    values = condition.values
    if any(not isinstance(v, str) for v in values):
        return None
    return bool(values) and all(v.strip() not in ("*", "") for v in values)


def public_principal(st: Statement) -> bool | None:
    """Whether the statement trusts every AWS principal (None: not known)."""
    found = False
    for kind, identifiers in st.principals.items():
        if kind == "*" or (kind == "AWS" and any(is_any_aws_principal(i) for i in identifiers)):
            found = True
    if found:
        return True
    if "?" in st.principals:
        return None
    return False


class IamTrustPublicPrincipal(Rule):
    id = "aws-iam-trust-public-principal"
    title = "Role trust policy lets any AWS principal assume the role"
    severity = Severity.CRITICAL
    rationale = (
        'A trust policy with Principal "*" (or AWS = "*") lets any IAM user or role of any '
        "AWS account call sts:AssumeRole on the role. Unless a condition pins the caller to "
        "your organisation, account or an external id, anyone who learns the role ARN (they "
        "appear in logs, error messages and public repositories) gets its permissions."
    )
    remediation = (
        "Name the trusted principals (account roots or role ARNs), or keep the wildcard only "
        "together with a condition such as aws:PrincipalOrgID = your organisation id or "
        "sts:ExternalId for third parties."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid",
    )
    aliases = ("CKV_AWS_60",)
    bad_example = """
resource "aws_iam_role" "reporting" {
  name = "reporting"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
    }]
  })
}
"""
    good_example = """
resource "aws_iam_role" "reporting" {
  name = "reporting"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
    }]
  })
}

data "aws_iam_policy_document" "ci_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/ci-runner"]
    }
  }
}

resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = data.aws_iam_policy_document.ci_trust.json
}
"""
    fix_description = (
        "No automatic fix: only the owner knows which accounts or services must keep "
        "assuming the role; narrowing the principal to a guess would lock them out."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for st in trust_statements(ctx.module):
            if not st.allows or public_principal(st) is not True:
                continue
            verdicts = [_restricts(c) for c in st.conditions]
            if any(v is not False for v in verdicts):
                continue  # restricted, or a condition we cannot read
            yield ctx.report(
                st.entity,
                st.anchor,
                f'{st.entity.address} trusts any AWS principal ("*") without a condition on '
                "the caller's organisation, account or external id: any AWS account can "
                "assume it",
                related=trust_related(ctx.module, st),
            )
