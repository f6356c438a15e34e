from __future__ import annotations

import fnmatch
import ipaddress
from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN, Value
from tfguard.findings import Finding, Severity
from tfguard.module import Entity
from tfguard.policy import Condition, Statement
from tfguard.rules.aws._s3 import (
    BUCKET,
    BucketPolicy,
    bucket_policies,
    flag,
    is_public_principal,
    link,
    public_access,
)
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit.resources import live

# Condition keys that pin a statement to known callers or networks: with a fixed value they
# make a "*" principal non-public (the list AWS uses to decide what "public" means).
RESTRICTING_KEYS = frozenset(
    {
        "aws:sourceip",
        "aws:sourcearn",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceowner",
        "aws:sourceaccount",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalservicename",
        "aws:userid",
        "s3:dataaccesspointaccount",
        "s3:dataaccesspointarn",
    }
)
# Operators that only let matching requests through (negated and IfExists forms do not).
RESTRICTING_OPERATORS = frozenset(
    {
        "stringequals",
        "stringequalsignorecase",
        "stringlike",
        "arnequals",
        "arnlike",
        "ipaddress",
    }
)
# Actions that change or destroy data: a public grant of any of them is critical.
WRITE_ACTIONS = (
    "s3:putobject",
    "s3:putobjectacl",
    "s3:deleteobject",
    "s3:deleteobjectversion",
    "s3:putbucketpolicy",
    "s3:putbucketacl",
    "s3:deletebucket",
)


class S3NoPublicPolicy(Rule):
    id = "aws-s3-no-public-policy"
    title = "S3 bucket policy allows access to everyone"
    severity = Severity.HIGH
    rationale = (
        'A bucket policy statement that allows Principal "*" (or AWS = "*") without a '
        "condition that pins the caller (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceArn...) "
        "grants its actions to anyone on the internet, signed in or not. Public bucket "
        "policies are behind most large S3 data leaks, and with write actions anyone can also "
        "plant or delete objects."
    )
    remediation = (
        "Name the principals that need access (roles, accounts, the CloudFront service with an "
        'aws:SourceArn condition), or keep "*" only with a condition that restricts callers '
        "to your VPC endpoint or organization. Keep restrict_public_buckets = true in the "
        "bucket's public access block so a public policy cannot take effect."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html",
    )
    aliases = ("CKV_AWS_70",)
    bad_example = """
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.site.arn}/*"
    }]
  })
}
"""
    good_example = """
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

data "aws_iam_policy_document" "site" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.site.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = ["arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"]
    }
  }

  statement {
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.site.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-1a2b3c4d"]
    }
  }

  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.site.arn, "${aws_s3_bucket.site.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = data.aws_iam_policy_document.site.json
}
"""
    fix_description = "No automatic fix: who should have access is a decision, not a default."

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        policies = bucket_policies(module)
        blocks = link(module, "aws_s3_bucket_public_access_block")
        attached: dict[int, tuple[BucketPolicy, list[Entity]]] = {}
        for bucket in live(module, BUCKET):
            for policy in policies.of(bucket):
                attached.setdefault(id(policy), (policy, []))[1].append(bucket)
        reported: set[int] = set()
        for policy, buckets in attached.values():
            # A public policy has no effect while restrict_public_buckets covers the bucket.
            neutralised = all(
                public_access(module, b, blocks)["restrict_public_buckets"] is True for b in buckets
            )
            for st in policy.statements:
                if id(st.anchor) in reported or not self._is_public(st):
                    continue
                reported.add(id(st.anchor))
                yield self._report(ctx, policy, st, buckets, neutralised)
        # A policy of a bucket declared elsewhere: only an account-wide block can neutralise it.
        account_restricts = any(
            flag(module, a, "restrict_public_buckets") is True
            for a in live(module, "aws_s3_account_public_access_block")
        )
        for policy in policies.elsewhere:
            for st in policy.statements:
                if id(st.anchor) in reported or not self._is_public(st):
                    continue
                reported.add(id(st.anchor))
                yield self._report(ctx, policy, st, [], account_restricts)

    def _is_public(self, st: Statement) -> bool:
        if not st.allows or is_public_principal(st) is not True:
            return False
        return not any(_restricts(c) is not False for c in st.conditions)

    def _report(
        self,
        ctx: Context,
        policy: BucketPolicy,
        st: Statement,
        buckets: list[Entity],
        neutralised: bool,
    ) -> Finding:
        bucket_attr = policy.owner.attr("bucket")
        names = ", ".join(b.address for b in buckets) or (
            bucket_attr.value.text if bucket_attr is not None else policy.owner.address
        )
        writes = _grants_writes(st.actions)
        actions = ", ".join(str(a) for a in st.actions if isinstance(a, str)) or "its actions"
        related: list[tuple[Entity, Anchor, str]] = [
            (b, b.block, f"the bucket {b.address}") for b in buckets
        ]
        if st.entity is not policy.owner:
            related.append(
                (policy.owner, policy.attribute, f"the policy of {policy.owner.address}")
            )
        if neutralised:
            severity = Severity.LOW
            tail = (
                "; restrict_public_buckets blocks it today, but lifting that setting would "
                "publish the bucket"
            )
        else:
            severity = Severity.CRITICAL if writes else self.severity
            tail = ""
        return ctx.report(
            st.entity,
            st.anchor,
            f"the policy of S3 bucket {names} allows {actions} to everyone "
            f'(Principal "*") without a restricting condition{tail}',
            severity=severity,
            related=related,
            data={"buckets": [b.address for b in buckets], "writes": writes},
        )


def _grants_writes(actions: list[Value]) -> bool:
    for action in actions:
        if not isinstance(action, str):
            return True
        pattern = action.lower()
        if any(fnmatch.fnmatchcase(write, pattern) for write in WRITE_ACTIONS):
            return True
    return False


def _restricts(condition: Condition) -> bool | None:
    """Whether a condition limits who can use the statement; None when it cannot be told."""
    test, variable = condition.test, condition.variable
    if test is UNKNOWN or variable is UNKNOWN:
        return None
    if not isinstance(test, str) or not isinstance(variable, str):
        return None
    operator = test.lower().split(":")[-1]
    if variable.lower() not in RESTRICTING_KEYS or operator not in RESTRICTING_OPERATORS:
        return False
    if not condition.values:
        return False
    for value in condition.values:
        if value is UNKNOWN:
            return None
        if not isinstance(value, str) or value in ("*", ""):
            return False
        if operator == "ipaddress" and _is_open_network(value):
            return False
    return True


def _is_open_network(value: str) -> bool:
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return network.prefixlen == 0
