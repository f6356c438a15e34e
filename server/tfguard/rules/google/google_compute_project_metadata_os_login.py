from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._compute import (
    PROJECT_METADATA,
    PROJECT_METADATA_ITEM,
    metadata_flag,
)
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_string


class GoogleComputeProjectMetadataOsLogin(Rule):
    id = "google-compute-project-metadata-os-login"
    title = "Project metadata does not enable OS Login"
    severity = Severity.MEDIUM
    rationale = (
        "google_compute_project_metadata is authoritative for the project's metadata: "
        "without enable-oslogin = TRUE in it (or with FALSE), VM logins are governed by SSH "
        "keys pasted into metadata instead of IAM, so removing a person from IAM does not "
        "lock them out of the VMs, keys never expire and logins cannot require 2-step "
        "verification."
    )
    remediation = (
        'Set enable-oslogin = "TRUE" in google_compute_project_metadata (or a '
        "google_compute_project_metadata_item), grant roles/compute.osLogin, and remove "
        "ssh-keys from metadata. The compute.requireOsLogin organization policy enforces it."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_project_metadata",
        "https://cloud.google.com/compute/docs/oslogin/set-up-oslogin",
    )
    aliases = (
        "CKV_GCP_33",
        "AVD-GCP-0042",
        "GCP-0042",
        "google-compute-project-level-oslogin",
    )
    bad_example = """
resource "google_compute_project_metadata" "default" {
  metadata = {
    ssh-keys = "admin:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHb5 admin@example.com"
  }
}
"""
    good_example = """
resource "google_compute_project_metadata" "default" {
  metadata = {
    enable-oslogin = "TRUE"
  }
}
"""
    fix_description = (
        "No automatic fix: enable-oslogin is a key of the metadata map, and users need "
        "roles/compute.osLogin before it is turned on."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        items = [
            e
            for e in live(module, PROJECT_METADATA_ITEM)
            if as_string(module.attr_value(e, "key")) == "enable-oslogin"
        ]
        for entity in items:
            value = entity.attr("value")
            if value is not None and metadata_flag(module.cached_value(value.value)) is False:
                yield ctx.report(
                    entity, value, f"{entity.address} turns OS Login off for the project"
                )
        for entity in live(module, PROJECT_METADATA):
            for hit in lookup(module, entity, "metadata.enable-oslogin"):
                if hit.present:
                    if metadata_flag(hit.value) is False:
                        yield ctx.report(entity, hit.anchor, f"{entity.address} turns OS Login off")
                    continue
                if items or hit.value is UNKNOWN or hit.attribute is None:
                    continue  # set by a metadata item, or a metadata map that cannot be read
                yield ctx.report(
                    entity,
                    hit.anchor,
                    f"{entity.address} sets the project's metadata without enable-oslogin: "
                    "OS Login is off",
                )
