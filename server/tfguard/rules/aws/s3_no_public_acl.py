from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule

PUBLIC_ACLS = {
    "public-read": Severity.HIGH,
    "public-read-write": Severity.CRITICAL,
    "authenticated-read": Severity.HIGH,
    "website": Severity.HIGH,
}


class S3NoPublicAcl(Rule):
    id = "aws-s3-no-public-acl"
    title = "S3 bucket grants public access through a canned ACL"
    severity = Severity.HIGH
    rationale = (
        "A public canned ACL (public-read, public-read-write, authenticated-read) lets anyone on "
        "the internet, or any AWS account, list or read the objects of the bucket, and with "
        "public-read-write also overwrite them. Public buckets are the most common cause of "
        "data leaks on AWS."
    )
    remediation = (
        'Use the "private" ACL (or no ACL with object ownership "BucketOwnerEnforced"), and '
        "serve public content through CloudFront with an origin access control instead."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_acl",
    )
    aliases = ("CKV_AWS_20", "AVD-AWS-0092", "AWS-0092", "aws-s3-no-public-access-with-acl")
    bad_example = """
resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_acl" "reports" {
  bucket = aws_s3_bucket.reports.id
  acl    = "public-read"
}
"""
    good_example = """
resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_acl" "reports" {
  bucket = aws_s3_bucket.reports.id
  acl    = "private"
}
"""
    fix_description = 'Sets the ACL to "private".'

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in ctx.resources("aws_s3_bucket", "aws_s3_bucket_acl"):
            attr = entity.attr("acl")
            if attr is None:
                continue
            acl = ctx.value(attr.value)
            if not isinstance(acl, str) or acl not in PUBLIC_ACLS:
                continue
            related = []
            if entity.type == "aws_s3_bucket_acl":
                for bucket in ctx.module.targets(
                    entity.attr("bucket").value if entity.attr("bucket") else None
                ):
                    if bucket.type == "aws_s3_bucket":
                        related.append((bucket, bucket.block, f"the bucket {bucket.address}"))
            yield ctx.report(
                entity,
                attr,
                f'S3 bucket ACL "{acl}" makes the bucket readable by '
                + ("anyone with an AWS account" if acl == "authenticated-read" else "anyone")
                + (" and writable by anyone" if acl == "public-read-write" else ""),
                severity=PUBLIC_ACLS[acl],
                related=related,
                data={"attribute": "acl", "value": acl},
            )
