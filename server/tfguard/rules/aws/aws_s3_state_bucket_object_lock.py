from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._s3 import BUCKET, link, state_bucket_reason
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, Value, as_bool, as_string


def _locked(module: Module, bucket: Entity) -> Value:
    """True when object lock is on (the bucket's argument or its legacy block), False when it
    is known to be off, UNKNOWN when it cannot be read."""
    flag = as_bool(module.attr_value(bucket, "object_lock_enabled", False))
    if flag is not False:
        return flag
    block = bucket.block.block("object_lock_configuration")
    if block is not None:
        attr = block.attr("object_lock_enabled")
        if attr is None:
            return UNKNOWN
        value = as_string(module.cached_value(attr.value))
        return UNKNOWN if value is UNKNOWN else value == "Enabled"
    return False


class S3StateBucketObjectLock(Rule):
    id = "aws-s3-state-bucket-object-lock"
    title = "State bucket does not use S3 Object Lock"
    severity = Severity.INFO
    rationale = (
        "Versioning keeps old state versions, but anyone allowed s3:DeleteObjectVersion (a "
        "compromised CI role, an attacker covering their tracks) can still delete them. "
        "Object Lock in governance or compliance mode keeps every version of the state for a "
        "retention period, so a state file can always be recovered after tampering or "
        "ransomware. Object Lock can only be switched on when the bucket is created (or by "
        "AWS support), so this is informational."
    )
    remediation = (
        "Create state buckets with object_lock_enabled = true and an "
        "aws_s3_bucket_object_lock_configuration with a default GOVERNANCE retention of a few "
        "days or weeks."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_object_lock_configuration",
    )
    bad_example = """
resource "aws_s3_bucket" "state" {
  bucket = "acme-terraform-state"
}
"""
    good_example = """
resource "aws_s3_bucket" "state" {
  bucket              = "acme-terraform-state"
  object_lock_enabled = true
}

resource "aws_s3_bucket_object_lock_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 14
    }
  }
}
"""
    fix_description = (
        "No automatic fix: enabling Object Lock on an existing bucket needs AWS support or a "
        "new bucket, and the retention is the owner's choice."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        locks = link(module, "aws_s3_bucket_object_lock_configuration")
        if locks.unresolved:
            return  # a lock configuration for a bucket we cannot identify
        for bucket in live(module, BUCKET):
            why = state_bucket_reason(module, bucket)
            if why is None or locks.of(bucket):
                continue
            if _locked(module, bucket) is not False:
                continue
            yield ctx.report(
                bucket,
                bucket.block,
                f"{bucket.address} holds Terraform state ({why}) but does not use Object Lock: "
                "old state versions can be deleted",
            )
