from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._compute import INSTANCES
from tfguard.rules.kit.fixing import set_attributes_fix
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool

_FLAGS = {
    "enable_vtpm": "the virtual TPM (measured boot, sealed secrets)",
    "enable_integrity_monitoring": "integrity monitoring",
}


class GoogleComputeInstanceShieldedVm(Rule):
    id = "google-compute-instance-shielded-vm"
    title = "Compute instance turns off Shielded VM protections"
    severity = Severity.MEDIUM
    rationale = (
        "The virtual TPM and integrity monitoring are on by default for Shielded VM images: "
        "the vTPM measures the boot chain and protects keys, and integrity monitoring "
        "reports when the measured boot changes, the evidence of a bootkit. Setting "
        "enable_vtpm or enable_integrity_monitoring to false removes them without any gain "
        "for ordinary workloads."
    )
    remediation = (
        "Remove enable_vtpm = false and enable_integrity_monitoring = false from "
        "shielded_instance_config (both default to true)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#enable_vtpm",
        "https://cloud.google.com/compute/shielded-vm/docs/shielded-vm",
    )
    aliases = (
        "CKV_GCP_39",
        "AVD-GCP-0041",
        "GCP-0041",
        "google-compute-enable-shielded-vm-vtpm",
        "AVD-GCP-0045",
        "GCP-0045",
        "google-compute-enable-shielded-vm-im",
    )
    bad_example = """
resource "google_compute_instance" "app" {
  name         = "app"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "app"
  }

  shielded_instance_config {
    enable_secure_boot          = true
    enable_vtpm                 = false
    enable_integrity_monitoring = false
  }
}
"""
    bad_example_findings = 2
    good_example = """
resource "google_compute_instance" "app" {
  name         = "app"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "app"
  }

  shielded_instance_config {
    enable_secure_boot = true
  }
}
"""
    fix_description = "Sets the flag the finding is on to true (the instance restarts)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in live(ctx.module, *INSTANCES):
            for flag, what in _FLAGS.items():
                for hit in lookup(ctx.module, entity, f"shielded_instance_config.{flag}"):
                    if hit.present and as_bool(hit.value) is False and hit.attribute:
                        yield ctx.report(
                            entity,
                            hit.anchor,
                            f"{entity.address} turns off {what} ({flag} = false)",
                            data={"attribute": flag},
                        )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        flag = str(finding.data.get("attribute", ""))
        if flag not in _FLAGS:
            return []
        return set_attributes_fix(
            module, finding, f"Set {flag} = true", {flag: "true"}, literal_only=True
        )
