from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._storage import log_buckets
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class GoogleStorageBucketAccessLogging(Check):
    id = "google-storage-bucket-access-logging"
    title = "Bucket does not write usage logs"
    severity = Severity.LOW
    rationale = (
        "Usage logs record every request to the bucket's objects, including anonymous and "
        "public ones that Cloud Audit Logs' Data Access logs do not cover when they are "
        "off. Without them, who downloaded what from a leaked or public bucket cannot be "
        "established. Buckets that receive other buckets' logs are not reported."
    )
    remediation = (
        "Add logging { log_bucket = <log bucket name> } (or enable Data Access audit logs "
        "for storage.googleapis.com)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#logging",
        "https://cloud.google.com/storage/docs/access-logs",
    )
    aliases = (
        "CKV_GCP_62",
        "AVD-GCP-0077",
        "GCP-0077",
        "google-storage-enable-bucket-logging",
    )
    bad_example = """
resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}
"""
    good_example = """
resource "google_storage_bucket" "logs" {
  name                        = "shop-logs-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  logging {
    log_bucket = google_storage_bucket.logs.name
  }
}
"""
    resource_types = ("google_storage_bucket",)
    attribute = "logging.log_bucket"
    condition = NotEmpty()
    message = "Bucket {address} names no log bucket"
    missing_message = "Bucket {address} does not write usage logs"
    fix_description = "No automatic fix: it needs a bucket to receive the logs."

    def subjects(self, module: Module) -> Iterable[Entity]:
        targets = log_buckets(module)
        return [e for e in super().subjects(module) if id(e) not in targets]
