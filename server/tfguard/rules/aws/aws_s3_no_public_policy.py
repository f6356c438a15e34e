from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity
from tfguard.policy import Statement
from tfguard.rules.aws._s3 import (
    BucketPolicy,
    PolicyGrant,
    flag,
    link,
    public_access,
    public_grants,
)
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit.resources import live


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
        blocks = link(module, "aws_s3_bucket_public_access_block")
        account_restricts: bool | None = None
        for grant in public_grants(module):
            if not isinstance(grant, PolicyGrant):
                continue
            if grant.buckets:
                # A public policy has no effect while restrict_public_buckets covers the bucket.
                neutralised = all(
                    public_access(module, b, blocks)["restrict_public_buckets"] is True
                    for b in grant.buckets
                )
            else:
                # A policy of a bucket declared elsewhere: only an account-wide block can
                # neutralise it.
                if account_restricts is None:
                    account_restricts = any(
                        flag(module, a, "restrict_public_buckets") is True
                        for a in live(module, "aws_s3_account_public_access_block")
                    )
                neutralised = account_restricts
            yield self._report(
                ctx, grant.policy, grant.statement, list(grant.buckets), neutralised, grant.access
            )

    def _report(
        self,
        ctx: Context,
        policy: BucketPolicy,
        st: Statement,
        buckets: list[Entity],
        neutralised: bool,
        access: str,
    ) -> Finding:
        bucket_attr = policy.owner.attr("bucket")
        names = ", ".join(b.address for b in buckets) or (
            bucket_attr.value.text if bucket_attr is not None else policy.owner.address
        )
        writes = access == "write"
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
