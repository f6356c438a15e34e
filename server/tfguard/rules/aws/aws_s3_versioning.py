from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, attribute_at, block_at
from tfguard.module import Entity, Module
from tfguard.rules.aws._s3 import BUCKET, link, new_bucket_resource, state_bucket_reason
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool

VERSIONING = "aws_s3_bucket_versioning"


class S3Versioning(Rule):
    id = "aws-s3-versioning"
    title = "S3 bucket does not keep object versions"
    severity = Severity.MEDIUM
    rationale = (
        "Without versioning an overwrite or a delete destroys the only copy of an object: an "
        "attacker with write access, a ransomware script or a faulty job cannot be undone. "
        "For the bucket that holds Terraform state it is worse: a corrupted or truncated "
        "state file cannot be rolled back, and every resource it tracked must be imported "
        "again by hand."
    )
    remediation = (
        'Add an aws_s3_bucket_versioning with versioning_configuration { status = "Enabled" } '
        "(or versioning { enabled = true } on provider v3), and a lifecycle rule that expires "
        "noncurrent versions to keep the cost bounded."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_versioning",
        "https://developer.hashicorp.com/terraform/language/backend/s3",
    )
    aliases = ("CKV_AWS_21", "AVD-AWS-0090", "AWS-0090", "aws-s3-enable-versioning")
    bad_example = """
terraform {
  backend "s3" {
    bucket       = "acme-infra-state"
    key          = "core/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

# file: state.tf
resource "aws_s3_bucket" "state" {
  bucket = "acme-infra-state"
}

resource "aws_s3_bucket" "exports" {
  bucket = "acme-exports"
}

resource "aws_s3_bucket_versioning" "exports" {
  bucket = aws_s3_bucket.exports.id
  versioning_configuration {
    status = "Suspended"
  }
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_s3_bucket" "state" {
  bucket = "acme-infra-state"
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"
  versioning {
    enabled = true
  }
}

resource "aws_s3_bucket" "records" {
  bucket              = "acme-records"
  object_lock_enabled = true
}
"""
    fix_description = (
        'Adds an aws_s3_bucket_versioning with status "Enabled" for a bucket that has none, '
        'or sets the status to "Enabled" / enabled = true.'
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        versioning = link(module, VERSIONING)
        for bucket in live(module, BUCKET):
            state = state_bucket_reason(module, bucket)
            severity = Severity.HIGH if state else self.severity
            suffix = f" ({state}: a damaged state file could not be rolled back)" if state else ""
            if _object_lock(ctx, bucket):
                continue  # object lock turns versioning on and keeps it on
            split = versioning.of(bucket)
            if split:
                for entity in split:
                    yield from self._check_split(ctx, entity, bucket, severity, suffix)
                continue
            inline = bucket.block.block("versioning")
            if inline is not None:
                attr = inline.attr("enabled")
                value = as_bool(ctx.value(attr.value)) if attr is not None else False
                if value is False:
                    yield ctx.report(
                        bucket,
                        attr if attr is not None else inline,
                        f"S3 bucket {bucket.address} has versioning disabled{suffix}",
                        severity=severity,
                        data={"attribute": "enabled", "value": True},
                    )
                continue
            if versioning.unresolved:
                continue
            yield ctx.report(
                bucket,
                bucket.block,
                f"S3 bucket {bucket.address} does not enable versioning{suffix}",
                severity=severity,
                data={
                    "missing": True,
                    "resource": VERSIONING,
                    "name": bucket.name,
                    "bucket": f"{bucket.address}.id",
                },
            )

    def _check_split(
        self, ctx: Context, entity: Entity, bucket: Entity, severity: Severity, suffix: str
    ) -> Iterator[Finding]:
        config = entity.block.block("versioning_configuration")
        attr = config.attr("status") if config is not None else None
        if attr is None:
            return
        status = ctx.value(attr.value)
        if status in ("Suspended", "Disabled"):
            yield ctx.report(
                entity,
                attr,
                f'{entity.address} sets the versioning of {bucket.address} to "{status}"{suffix}',
                severity=severity,
                related=[(bucket, bucket.block, f"the bucket {bucket.address}")],
                data={"attribute": "status", "value": "Enabled"},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        editor = Editor(module)
        if finding.data.get("missing") is True:
            found = block_at(module, finding)
            if found is None or found[0].type != BUCKET:
                return []
            body = ["versioning_configuration {", '  status = "Enabled"', "}"]
            text = new_bucket_resource(module, found[0], VERSIONING, body)
            if text is None:
                return []
            edit = editor.insert_after(found[0], text)
            return [Fix("Add an aws_s3_bucket_versioning that enables versioning", (edit,), True)]
        at = attribute_at(module, finding)
        if at is not None:
            entity, _, attr = at
            value = '"Enabled"' if attr.name == "status" else "true"
            return [
                Fix(
                    f"Set {attr.name} = {value}", (editor.replace_value(entity, attr, value),), True
                )
            ]
        header = block_at(module, finding)
        if header is None:
            return []
        entity, block = header
        edit = editor.set_attribute(entity, block, "enabled", "true")
        return [Fix("Set enabled = true", (edit,), True)]


def _object_lock(ctx: Context, bucket: Entity) -> bool:
    if as_bool(ctx.attr_value(bucket, "object_lock_enabled")) is True:
        return True
    block = bucket.block.block("object_lock_configuration")
    if block is None:
        return False
    attr = block.attr("object_lock_enabled")
    return attr is not None and ctx.value(attr.value) == "Enabled"
