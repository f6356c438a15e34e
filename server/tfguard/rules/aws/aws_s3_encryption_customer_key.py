from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, TextEdit, attribute_at, block_at, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.aws._s3 import (
    BUCKET,
    link,
    log_delivery_buckets,
    log_targets,
    new_bucket_resource,
    split_style,
)
from tfguard.rules.aws._support import key_choices
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import Choice, is_literal, parent_block
from tfguard.rules.kit.resources import live
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
        "Encrypts the bucket with SSE-KMS and bucket_key_enabled = true: for a bucket without "
        "default encryption, an aws_s3_bucket_server_side_encryption_configuration right after "
        "the bucket (AWS provider >= 4, or a module already using split bucket resources) or a "
        "nested server_side_encryption_configuration block (provider 3, or a bucket already "
        'configured inline); otherwise sse_algorithm = "aws:kms" and kms_master_key_id in the '
        "existing configuration. The key is the module's only aws_kms_key, else a new "
        "variable <bucket>_kms_key_arn (declared in variables.tf without a default, so a plan "
        "asks for it); the key policy must let every reader and writer of the bucket use it. "
        "No SSE-S3 variant: AES256 is what this rule reports. Not offered for a bucket with "
        "count or for_each in the split style, for a configuration that several buckets share "
        "through count or for_each, nor when the value to change comes from a variable or a "
        "local."
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
                    data={
                        "missing": True,
                        "resource": SSE,
                        "bucket": f"{bucket.address}.id",
                        "bucket_address": bucket.address,
                    },
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
                data={
                    "attribute": "sse_algorithm",
                    "value": "aws:kms",
                    "bucket_address": bucket.address,
                },
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
                data={
                    "missing": True,
                    "attribute": "kms_master_key_id",
                    "bucket_address": bucket.address,
                },
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
                data={"attribute": "kms_master_key_id", "bucket_address": bucket.address},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        bucket = module.resources.get(str(finding.data.get("bucket_address")))
        if bucket is None or bucket.type != BUCKET:
            return []
        choices = key_choices(
            module,
            bucket,
            f"{bucket.name}_kms_key_arn",
            f"ARN of the customer-managed KMS key that encrypts the objects of {bucket.address}",
        )
        out: list[Fix] = []
        for choice in choices:
            edits = self._edits(finding, module, bucket, choice)
            if edits is None:
                return []
            title = f"Encrypt {bucket.address} with SSE-KMS using {choice.label}"
            out.append(Fix(title, (*edits, *choice.edits), "safe"))
        return out

    def _edits(
        self, finding: Finding, module: Module, bucket: Entity, key: Choice
    ) -> list[TextEdit] | None:
        editor = Editor(module)
        if finding.data.get("missing") is True and finding.data.get("resource") == SSE:
            body = [
                "rule {",
                "  apply_server_side_encryption_by_default {",
                '    sse_algorithm     = "aws:kms"',
                f"    kms_master_key_id = {key.expr}",
                "  }",
                "  bucket_key_enabled = true",
                "}",
            ]
            if split_style(module, bucket):
                text = new_bucket_resource(module, bucket, SSE, body)
                return None if text is None else [editor.insert_after(bucket, text)]
            nested = "\n".join(
                ["server_side_encryption_configuration {", *(f"  {ln}" for ln in body), "}"]
            )
            return [editor.insert_block(bucket, bucket.block, nested)]
        holder = entity_for(module, finding)
        if holder is None or (
            holder is not bucket
            and (holder.attr("count") is not None or holder.attr("for_each") is not None)
        ):
            return None  # a configuration shared by several buckets: one decision for all
        at = attribute_at(module, finding)
        if at is not None:
            entity, default, attr = at
            if not is_literal(attr):
                return None  # the value is defined elsewhere (a variable, a local)
            if attr.name == "sse_algorithm":
                edits = [editor.replace_value(entity, attr, '"aws:kms"')]
                current = default.attr("kms_master_key_id")
                if current is not None:
                    edits.append(editor.replace_value(entity, current, key.expr))
                else:
                    edits += editor.insert_attributes(
                        entity, default, [("kms_master_key_id", key.expr)]
                    )
            else:  # an AWS managed key
                edits = [editor.replace_value(entity, attr, key.expr)]
        else:
            header = block_at(module, finding)
            if header is None:
                return None
            entity, default = header
            edits = editor.insert_attributes(entity, default, [("kms_master_key_id", key.expr)])
        rule = parent_block(entity.block, default)
        if rule is not None and rule.attr("bucket_key_enabled") is None:
            edits.append(editor.insert_attribute(entity, rule, "bucket_key_enabled", "true"))
        return edits
