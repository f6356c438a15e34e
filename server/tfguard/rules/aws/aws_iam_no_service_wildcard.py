from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import (
    is_all_actions,
    is_any_resource,
    permission_statements,
    service_wildcard,
)
from tfguard.rules.base import Context, Rule

# Services whose full access is equivalent to administrator access (the holder can grant
# itself anything).
_ESCALATING = frozenset({"iam", "sts", "organizations"})


class IamNoServiceWildcard(Rule):
    id = "aws-iam-no-service-wildcard"
    title = "IAM policy allows every action of a service on every resource"
    severity = Severity.HIGH
    rationale = (
        'A statement such as "s3:*" on "*" grants every present and future action of the '
        "service on every resource of the account: deleting any bucket, rewriting bucket "
        'policies, reading every object. "iam:*" is administrator access in disguise, since '
        "the holder can attach any policy to itself."
    )
    remediation = (
        "List the actions the principal uses (IAM Access Analyzer can generate them from "
        "CloudTrail) and scope Resource to the ARNs it works on, such as one bucket and its "
        "objects."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html",
    )
    bad_example = """
data "aws_iam_policy_document" "ci" {
  statement {
    actions   = ["s3:*", "cloudfront:CreateInvalidation"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "ci" {
  name   = "ci"
  policy = data.aws_iam_policy_document.ci.json
}
"""
    good_example = """
data "aws_iam_policy_document" "ci" {
  statement {
    actions = ["s3:PutObject", "s3:DeleteObject"]
    resources = [
      "arn:aws:s3:::acme-site",
      "arn:aws:s3:::acme-site/*",
    ]
  }

  statement {
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::acme-site-preview/*"]
  }
}

data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }
}
"""
    fix_description = (
        'No automatic fix: replacing "service:*" with a list removes every action left out, '
        "and only the owner knows which ones the principal uses (IAM Access Analyzer can "
        "generate the list from CloudTrail activity)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for st in permission_statements(ctx.module):
            if not st.allows or st.has_principal:
                continue  # in a resource policy, "*" means the resource the policy is on
            if any(is_all_actions(a) for a in st.actions):
                continue  # full admin: aws-iam-no-wildcard-admin
            if not any(is_any_resource(r) for r in st.resources):
                continue
            services = sorted({s for a in st.actions if (s := service_wildcard(a))})
            if not services:
                continue
            escalating = [s for s in services if s in _ESCALATING]
            listed = ", ".join(f'"{s}:*"' for s in services)
            message = f'{st.entity.address} allows {listed} on all resources ("*")'
            if escalating:
                message += f": {escalating[0]}:* lets the holder grant itself any permission"
            yield ctx.report(
                st.entity,
                st.anchor,
                message,
                severity=Severity.CRITICAL if escalating else self.severity,
                data={"services": services},
            )
