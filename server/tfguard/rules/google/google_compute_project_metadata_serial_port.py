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
from tfguard.rules.kit.values import as_string


class GoogleComputeProjectMetadataSerialPort(Rule):
    id = "google-compute-project-metadata-serial-port"
    title = "Project metadata enables the serial console on every instance"
    severity = Severity.HIGH
    rationale = (
        "serial-port-enable = TRUE in project-wide metadata opens the interactive serial "
        "console of every VM in the project that does not override it. The console is "
        "reached through Google's proxy from any address with an SSH key, bypassing "
        "firewall rules and private addressing, on machines whose owners never asked for it."
    )
    remediation = (
        "Remove serial-port-enable from google_compute_project_metadata (or the "
        "google_compute_project_metadata_item); enable it per instance, temporarily, when "
        "debugging needs it. The compute.disableSerialPortAccess organization policy "
        "enforces this."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_project_metadata",
        "https://cloud.google.com/compute/docs/troubleshooting/troubleshooting-using-serial-console",
    )
    bad_example = """
resource "google_compute_project_metadata" "default" {
  metadata = {
    enable-oslogin     = "TRUE"
    serial-port-enable = "TRUE"
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
    fix_description = "No automatic fix: remove the metadata key (or its metadata item)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, PROJECT_METADATA):
            for hit in lookup(module, entity, "metadata.serial-port-enable"):
                if hit.present and metadata_flag(hit.value) is True:
                    yield ctx.report(
                        entity,
                        hit.anchor,
                        f"{entity.address} enables the serial console for every instance of "
                        "the project",
                    )
        for entity in live(module, PROJECT_METADATA_ITEM):
            if as_string(module.attr_value(entity, "key")) != "serial-port-enable":
                continue
            value = entity.attr("value")
            if value is not None and metadata_flag(module.cached_value(value.value)) is True:
                yield ctx.report(
                    entity,
                    value,
                    f"{entity.address} enables the serial console for every instance of the "
                    "project",
                )
