from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.resources import live

SINKS = (
    "google_logging_project_sink",
    "google_logging_folder_sink",
    "google_logging_organization_sink",
    "google_logging_billing_account_sink",
)


class GoogleLoggingSinkBucketLock(Rule):
    id = "google-logging-sink-bucket-lock"
    title = "Log sink exports to a bucket without a retention policy"
    severity = Severity.LOW
    rationale = (
        "Logs exported to Cloud Storage are the long-term evidence of what happened in the "
        "project. Without a retention policy (ideally locked with Bucket Lock) on the "
        "destination bucket, anyone who can delete objects, including an intruder covering "
        "their tracks, can erase the exported audit logs. (A bucket whose retention policy "
        "is not locked is reported by google-storage-bucket-retention-lock.)"
    )
    remediation = (
        "Add retention_policy { retention_period = <seconds>, is_locked = true } to the "
        "destination bucket once the period is final."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/logging_project_sink",
        "https://cloud.google.com/logging/docs/export/configure_export_v2",
        "https://cloud.google.com/storage/docs/bucket-lock",
    )
    aliases = ("CKV2_GCP_4",)
    bad_example = """
resource "google_storage_bucket" "audit" {
  name                        = "shop-audit-logs-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

resource "google_logging_project_sink" "audit" {
  name        = "audit-to-storage"
  destination = "storage.googleapis.com/${google_storage_bucket.audit.name}"
  filter      = "logName:\\"cloudaudit.googleapis.com\\""
}
"""
    good_example = """
resource "google_storage_bucket" "audit" {
  name                        = "shop-audit-logs-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  retention_policy {
    retention_period = 31536000
    is_locked        = true
  }
}

resource "google_logging_project_sink" "audit" {
  name        = "audit-to-storage"
  destination = "storage.googleapis.com/${google_storage_bucket.audit.name}"
  filter      = "logName:\\"cloudaudit.googleapis.com\\""
}
"""
    fix_description = (
        "No automatic fix: the retention period is a policy decision, and locking it is "
        "irreversible."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for sink in live(module, *SINKS):
            attr = sink.attr("destination")
            if attr is None:
                continue
            for bucket in expression_targets(module, attr.value):
                if bucket.type != "google_storage_bucket":
                    continue
                if bucket.block.blocks_of("retention_policy") or any(
                    d.labels == ("retention_policy",) for d in bucket.block.blocks_of("dynamic")
                ):
                    continue
                yield ctx.report(
                    sink,
                    attr,
                    f"Log sink {sink.address} exports to {bucket.address}, which has no "
                    "retention policy: the exported logs can be deleted",
                    related=[(bucket, bucket.block, "the destination bucket")],
                )
