from __future__ import annotations

from typing import Any

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._storage import holds_state
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.paths import Hit


class GoogleStorageBucketVersioning(Check):
    id = "google-storage-bucket-versioning"
    title = "Bucket does not keep object versions"
    severity = Severity.MEDIUM
    rationale = (
        "Without versioning, an overwrite or delete (a bug, a compromised credential, "
        "ransomware) destroys the only copy of an object. For the bucket that holds "
        "Terraform state (the gcs backend's), a corrupted or deleted state file means "
        "Terraform loses track of every resource it manages, so the finding is high there. "
        "Versioning is off by default."
    )
    remediation = (
        "Add versioning { enabled = true }, with a lifecycle_rule that deletes noncurrent "
        "versions after a retention period."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#versioning",
        "https://cloud.google.com/storage/docs/object-versioning",
        "https://developer.hashicorp.com/terraform/language/backend/gcs",
    )
    aliases = (
        "CKV_GCP_78",
        "AVD-GCP-0078",
        "GCP-0078",
        "google-storage-enable-bucket-versioning",
    )
    bad_example = """
terraform {
  backend "gcs" {
    bucket = "shop-tfstate-4a1c"
    prefix = "prod"
  }
}

resource "google_storage_bucket" "state" {
  name                        = "shop-tfstate-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}
"""
    good_example = """
resource "google_storage_bucket" "state" {
  name                        = "shop-tfstate-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }
}
"""
    resource_types = ("google_storage_bucket",)
    attribute = "versioning.enabled"
    condition = Equals(True)
    default = False  # google provider, all majors
    message = "Bucket {address} disables object versioning{state}"
    missing_message = "Bucket {address} does not keep object versions{state}"
    fix = SetValue("true", "Enable object versioning")

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        state = holds_state(module, entity)
        return {"state": ' (it holds the Terraform state of backend "gcs")' if state else ""}

    def severity_for(self, module: Module, entity: Entity, hit: Hit) -> Severity | None:
        return Severity.HIGH if holds_state(module, entity) else None
