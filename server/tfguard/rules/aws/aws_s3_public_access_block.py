from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, TextEdit, attribute_at, block_at
from tfguard.module import Entity, Module
from tfguard.rules.aws._s3 import BUCKET, PUBLIC_ACCESS_FLAGS, flag, link, new_bucket_resource
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live

ACCOUNT_BLOCK = "aws_s3_account_public_access_block"
BUCKET_BLOCK = "aws_s3_bucket_public_access_block"


class S3PublicAccessBlock(Rule):
    id = "aws-s3-public-access-block"
    title = "S3 bucket is not covered by a complete public access block"
    severity = Severity.HIGH
    rationale = (
        "S3 Block Public Access is the guard rail that overrides public ACLs and public bucket "
        "policies, so one mistaken grant cannot publish a bucket. An "
        "aws_s3_bucket_public_access_block writes all four settings: any flag it leaves out "
        "is set to false, switching off the protection AWS enables on new buckets by default. "
        "A bucket without the resource keeps whatever the account currently has, unmanaged "
        "and free to drift."
    )
    remediation = (
        "Give every bucket an aws_s3_bucket_public_access_block with block_public_acls, "
        "block_public_policy, ignore_public_acls and restrict_public_buckets all true, or "
        "set all four in an aws_s3_account_public_access_block. Serve public content through "
        "CloudFront with an origin access control instead of opening a bucket."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block",
    )
    aliases = (
        "CKV2_AWS_6",
        "CKV_AWS_53",
        "CKV_AWS_54",
        "CKV_AWS_55",
        "CKV_AWS_56",
        "AVD-AWS-0094",
        "AWS-0094",
        "aws-s3-specify-public-access-block",
        "AVD-AWS-0086",
        "AWS-0086",
        "aws-s3-block-public-acls",
        "AVD-AWS-0087",
        "AWS-0087",
        "aws-s3-block-public-policy",
        "AVD-AWS-0091",
        "AWS-0091",
        "aws-s3-ignore-public-acls",
        "AVD-AWS-0093",
        "AWS-0093",
        "aws-s3-no-public-buckets",
    )
    bad_example = """
resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "acme-uploads"
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_public_access_block" "reports" {
  bucket                  = "acme-reports"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# file: account.tf
resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}
"""
    fix_description = (
        "Adds an aws_s3_bucket_public_access_block with all four flags true for a bucket that "
        "has none, adds the flags a block leaves out, and sets false flags to true. Unsafe "
        "(tfguard fix --unsafe-fixes): public ACLs and bucket policies stop working, so a "
        "bucket (or objects uploaded with a public ACL) meant to be public stops being so."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        blocks = link(module, BUCKET_BLOCK)
        account = live(module, ACCOUNT_BLOCK)
        # The flags an account-level block turns on for every bucket.
        account_on = {
            name
            for name in PUBLIC_ACCESS_FLAGS
            if any(flag(module, a, name) is True for a in account)
        }
        for entity in account:
            yield from self._check_block(ctx, entity, set(), [])
        for entity in live(module, BUCKET_BLOCK):
            buckets = blocks.buckets_of.get(entity.address, [])
            yield from self._check_block(ctx, entity, account_on, buckets)
        if account_on == set(PUBLIC_ACCESS_FLAGS) or blocks.unresolved:
            return
        for bucket in live(module, BUCKET):
            if blocks.of(bucket):
                continue
            yield ctx.report(
                bucket,
                bucket.block,
                f"S3 bucket {bucket.address} has no aws_s3_bucket_public_access_block: its "
                "public access settings are not managed by this configuration",
                severity=Severity.LOW,
                data={
                    "missing": True,
                    "resource": BUCKET_BLOCK,
                    "name": bucket.name,
                    "bucket": f"{bucket.address}.id",
                    "flags": list(PUBLIC_ACCESS_FLAGS),
                },
            )

    def _check_block(
        self, ctx: Context, entity: Entity, covered: set[str], buckets: list[Entity]
    ) -> Iterator[Finding]:
        related = [(b, b.block, f"the bucket {b.address}") for b in buckets]
        scope = "every bucket of the account" if entity.type == ACCOUNT_BLOCK else "the bucket"
        missing: list[str] = []
        for name in PUBLIC_ACCESS_FLAGS:
            if name in covered:
                continue
            attr = entity.attr(name)
            if attr is None:
                missing.append(name)
            elif flag(ctx.module, entity, name) is False:
                yield ctx.report(
                    entity,
                    attr,
                    f"{entity.address} sets {name} = false, turning off that protection "
                    f"for {scope}",
                    related=related,
                    data={"attribute": name, "value": True},
                )
        if missing:
            yield ctx.report(
                entity,
                entity.block,
                f"{entity.address} does not set {', '.join(missing)}; an omitted flag is "
                f"false, so that protection is off for {scope}",
                related=related,
                data={"missing": missing, "value": True},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        editor = Editor(module)
        missing = finding.data.get("missing")
        if missing is True:
            found = block_at(module, finding)
            if found is None or found[0].type != BUCKET:
                return []
            body = [f"{name} = true" for name in PUBLIC_ACCESS_FLAGS]
            text = new_bucket_resource(module, found[0], BUCKET_BLOCK, body)
            if text is None:
                return []
            edit = editor.insert_after(found[0], text)
            title = "Add a public access block with all four flags on"
            return [Fix(title, (edit,), "unsafe", _CONSEQUENCE)]
        if isinstance(missing, list):
            header = block_at(module, finding)
            if header is None:
                return []
            entity, block = header
            edits = [editor.insert_attribute(entity, block, str(name), "true") for name in missing]
            merged = TextEdit(edits[0].path, edits[0].range, "".join(e.new_text for e in edits))
            title = f"Set {', '.join(map(str, missing))} = true"
            return [Fix(title, (merged,), "unsafe", _CONSEQUENCE)]
        at = attribute_at(module, finding)
        if at is None:
            return []
        entity, _, attr = at
        edit = editor.replace_value(entity, attr, "true")
        return [Fix(f"Set {attr.name} = true", (edit,), "unsafe", _CONSEQUENCE)]


_CONSEQUENCE = "public ACLs and policies stop working for a bucket public on purpose"
