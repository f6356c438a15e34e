from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.paths import Hit
from tfguard.rules.kit.values import Value


class GoogleStorageBucketRetentionLock(Check):
    id = "google-storage-bucket-retention-lock"
    title = "Bucket retention policy is not locked"
    severity = Severity.LOW
    rationale = (
        "An unlocked retention policy can be shortened or removed by anyone with "
        "storage.buckets.update, so the objects it protects (audit logs, backups, records "
        "kept for compliance) can still be deleted after an attacker or a mistaken script "
        "lifts it. Locking makes the policy irreversible, which is what WORM requirements "
        "ask for."
    )
    remediation = (
        "Set retention_policy { is_locked = true } once the retention period is final "
        "(locking cannot be undone)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#is_locked",
        "https://cloud.google.com/storage/docs/bucket-lock",
    )
    bad_example = """
resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  retention_policy {
    retention_period = 31536000
  }
}
"""
    good_example = """
resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  retention_policy {
    retention_period = 31536000
    is_locked        = true
  }
}
"""
    resource_types = ("google_storage_bucket",)
    attribute = "retention_policy.is_locked"
    condition = Equals(True)
    default = False  # google provider, all majors
    message = "Bucket {address} has an unlocked retention policy"
    fix = SetValue(
        "true",
        "Lock the retention policy (irreversible)",
        applicability="display",
        consequence="the policy can never be shortened or removed",
    )
    fix_description = (
        "Shows retention_policy.is_locked = true, never applied by a tool: a locked policy "
        "can never be shortened or removed, and the bucket cannot be deleted while objects "
        "are retained."
    )

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        # Only buckets that have a retention policy: without one there is nothing to lock.
        if not entity.block.blocks_of("retention_policy"):
            return
        yield from super().failures(module, entity)
