from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity
from tfguard.rules.aws._s3 import BUCKET, link, log_delivery_buckets, log_targets
from tfguard.rules.aws._support import live
from tfguard.rules.base import Context, Rule
from tfguard.syntax import Block

SSE = "aws_s3_bucket_server_side_encryption_configuration"
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
AWS_MANAGED_KEYS = ("alias/aws/s3",)


class S3EncryptionCustomerKey(Rule):
    id = "aws-s3-encryption-customer-key"
    title = "S3 bucket is not encrypted with a customer-managed KMS key"
    severity = Severity.LOW
    rationale = (
        "Since January 2023 S3 encrypts every new object with S3-managed keys (SSE-S3), so "
        "the data is encrypted at rest either way. What a customer-managed KMS key adds is a "
        "second, separately audited permission: reading an object then also needs "
        "kms:Decrypt on a key whose policy you control and can revoke, and every use of the "
        "key is logged in CloudTrail. A leaked s3:GetObject permission alone no longer "
        "exposes the data."
    )
    remediation = (
        'Set sse_algorithm = "aws:kms" with kms_master_key_id pointing at an aws_kms_key you '
        "manage (with rotation on), and bucket_key_enabled = true to keep KMS costs low. "
        "Server access log destination buckets must stay on SSE-S3 (AES256)."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration",
    )
    aliases = ("CKV_AWS_145", "AVD-AWS-0132", "AWS-0132", "aws-s3-encryption-customer-key")
    bad_example = """
resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "invoices" {
  bucket = aws_s3_bucket.invoices.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
"""
    good_example = """
resource "aws_kms_key" "data" {
  description         = "S3 data"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "invoices" {
  bucket = aws_s3_bucket.invoices.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket" "access_logs" {
  bucket = "acme-access-logs"
}

resource "aws_s3_bucket_logging" "invoices" {
  bucket        = aws_s3_bucket.invoices.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "invoices/"
}
"""
    fix_description = (
        "No automatic fix: it needs a KMS key whose policy lets every reader and writer of the "
        "bucket use it."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        configs = link(module, SSE)
        targets, _ = log_targets(module)
        log_buckets = targets | log_delivery_buckets(module)
        for bucket in live(module, BUCKET):
            if bucket.address in log_buckets:
                continue  # server access logs can only be delivered to SSE-S3 buckets
            defaults: list[tuple[Entity, Block]] = []
            for entity in configs.of(bucket):
                for rule in entity.block.blocks_of("rule"):
                    defaults += [
                        (entity, b)
                        for b in rule.blocks_of("apply_server_side_encryption_by_default")
                    ]
            if not configs.of(bucket):
                for sse in bucket.block.blocks_of("server_side_encryption_configuration"):
                    for rule in sse.blocks_of("rule"):
                        defaults += [
                            (bucket, b)
                            for b in rule.blocks_of("apply_server_side_encryption_by_default")
                        ]
            if not defaults:
                if configs.unresolved or bucket.block.blocks_of(
                    "server_side_encryption_configuration"
                ):
                    continue
                yield ctx.report(
                    bucket,
                    bucket.block,
                    f"S3 bucket {bucket.address} has no default encryption configuration, so "
                    "objects are encrypted with S3-managed keys (SSE-S3) only",
                    data={"missing": True, "resource": SSE, "bucket": f"{bucket.address}.id"},
                )
                continue
            for entity, block in defaults:
                yield from self._check_default(ctx, bucket, entity, block)

    def _check_default(
        self, ctx: Context, bucket: Entity, entity: Entity, block: Block
    ) -> Iterator[Finding]:
        related = (
            [(bucket, bucket.block, f"the bucket {bucket.address}")] if entity is not bucket else []
        )
        algorithm_attr = block.attr("sse_algorithm")
        algorithm = ctx.value(algorithm_attr.value) if algorithm_attr else None
        if algorithm == "AES256" and algorithm_attr is not None:
            yield ctx.report(
                entity,
                algorithm_attr,
                f"S3 bucket {bucket.address} is encrypted with S3-managed keys (AES256), not "
                "a customer-managed KMS key",
                related=related,
                data={"attribute": "sse_algorithm", "value": "aws:kms"},
            )
            return
        if algorithm not in KMS_ALGORITHMS:
            return
        key_attr = block.attr("kms_master_key_id")
        if key_attr is None:
            yield ctx.report(
                entity,
                block,
                f"S3 bucket {bucket.address} uses SSE-KMS without kms_master_key_id, i.e. the "
                "AWS managed key aws/s3, whose key policy you cannot restrict",
                related=related,
                data={"missing": True, "attribute": "kms_master_key_id"},
            )
            return
        key = ctx.value(key_attr.value)
        if isinstance(key, str) and key.endswith(AWS_MANAGED_KEYS):
            yield ctx.report(
                entity,
                key_attr,
                f"S3 bucket {bucket.address} is encrypted with the AWS managed key {key}, "
                "whose key policy you cannot restrict",
                related=related,
                data={"attribute": "kms_master_key_id"},
            )
