from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._s3 import (
    BUCKET,
    link,
    log_delivery_buckets,
    log_targets,
    state_bucket_reason,
)
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live

LOGGING = "aws_s3_bucket_logging"


class S3AccessLogging(Rule):
    id = "aws-s3-access-logging"
    title = "S3 bucket has no server access logging"
    severity = Severity.LOW
    rationale = (
        "Server access logs record every request made to a bucket: who read or deleted which "
        "object, from where, and whether it was allowed. CloudTrail only records object-level "
        "reads and writes when data events are paid for, so without access logs an "
        "investigation cannot tell which objects a leaked credential touched. For the bucket "
        "holding Terraform state, that is every secret in the state."
    )
    remediation = (
        "Add an aws_s3_bucket_logging that sends the bucket's access logs to a dedicated log "
        "bucket (encrypted with SSE-S3, not publicly accessible, with a lifecycle rule), or "
        "enable CloudTrail S3 data events for it."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_logging",
    )
    aliases = ("CKV_AWS_18", "AVD-AWS-0089", "AWS-0089", "aws-s3-enable-bucket-logging")
    bad_example = """
resource "aws_s3_bucket" "documents" {
  bucket = "acme-documents"
}
"""
    good_example = """
resource "aws_s3_bucket" "documents" {
  bucket = "acme-documents"
}

resource "aws_s3_bucket" "access_logs" {
  bucket = "acme-access-logs"
}

resource "aws_s3_bucket_logging" "documents" {
  bucket        = aws_s3_bucket.documents.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "documents/"
}
"""
    fix_description = (
        "No automatic fix: the logs need a destination bucket, which the configuration must name."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        logging = link(module, LOGGING)
        targets, unresolved_target = log_targets(module)
        if logging.unresolved or unresolved_target:
            return  # a logging resource or target we cannot place may cover any bucket
        exempt = targets | log_delivery_buckets(module)
        for bucket in live(module, BUCKET):
            if bucket.address in exempt or logging.of(bucket):
                continue
            if bucket.block.blocks_of("logging"):
                continue
            state = state_bucket_reason(module, bucket)
            yield ctx.report(
                bucket,
                bucket.block,
                f"S3 bucket {bucket.address} does not log access requests"
                + (f" ({state})" if state else ""),
                severity=Severity.MEDIUM if state else self.severity,
                data={"missing": True, "resource": LOGGING, "bucket": f"{bucket.address}.id"},
            )
