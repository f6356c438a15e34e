from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.policy import Statement
from tfguard.rules.aws._s3 import BUCKET, bucket_policies, state_bucket_reason
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import fully_known


def _denies_plain_http(st: Statement) -> bool | None:
    """True when the statement denies requests made without TLS (a Deny with Bool
    aws:SecureTransport = false); None when it cannot be read."""
    if not fully_known(st.effect):
        return None
    if st.effect != "Deny":
        return False
    unknown = False
    for cond in st.conditions:
        if not (fully_known(cond.test) and fully_known(cond.variable)):
            unknown = True
            continue
        if str(cond.test) not in ("Bool", "BoolIfExists"):
            continue
        if str(cond.variable).lower() != "aws:securetransport":
            continue
        if any(v is False or (isinstance(v, str) and v.lower() == "false") for v in cond.values):
            return True
        if not fully_known(cond.values):
            unknown = True
    return None if unknown else False


class S3SecureTransport(Rule):
    id = "aws-s3-secure-transport"
    title = "S3 bucket policy does not deny requests made without TLS"
    severity = Severity.LOW
    rationale = (
        "S3 answers plain-HTTP requests unless the bucket policy denies them. A client, SDK "
        "setting or endpoint URL that uses http:// sends the objects, and the signed request, "
        "in clear text; an explicit Deny on aws:SecureTransport = false makes such requests "
        "fail instead. (State buckets are aws-s3-state-bucket-secure-transport's, at a higher "
        "severity.)"
    )
    remediation = (
        'Add a bucket policy statement: Effect "Deny", Principal "*", Action "s3:*", Resource '
        'the bucket ARN and bucket/*, Condition Bool "aws:SecureTransport" = "false".'
    )
    links = (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy",
    )
    bad_example = """
resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}
"""
    good_example = """
resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}

data "aws_iam_policy_document" "assets" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.assets.arn, "${aws_s3_bucket.assets.arn}/*"]

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

resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id
  policy = data.aws_iam_policy_document.assets.json
}
"""
    fix_description = (
        "No automatic fix: the statement must be merged into the bucket's policy, which may "
        "be shared or defined elsewhere."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        policies = bucket_policies(module)
        if policies.unresolved:
            return  # a bucket policy for a bucket we cannot identify
        for bucket in live(module, BUCKET):
            if state_bucket_reason(module, bucket) is not None:
                continue
            attached = policies.of(bucket)
            verdicts: list[bool | None] = []
            for policy in attached:
                if not policy.statements or not policy.complete:
                    verdicts.append(None)
                verdicts.extend(_denies_plain_http(st) for st in policy.statements)
            if True in verdicts or None in verdicts:
                continue
            if not attached:
                yield ctx.report(
                    bucket,
                    bucket.block,
                    f"{bucket.address} has no bucket policy denying requests without TLS",
                )
                continue
            last = attached[-1]
            yield ctx.report(
                last.owner,
                last.attribute,
                f"the policy of {bucket.address} does not deny requests without TLS "
                "(aws:SecureTransport = false)",
                related=[(bucket, bucket.block, f"the bucket {bucket.address}")],
            )
