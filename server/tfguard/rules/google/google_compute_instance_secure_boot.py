from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._compute import INSTANCES, instance_default
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.values import Value


class GoogleComputeInstanceSecureBoot(Check):
    id = "google-compute-instance-secure-boot"
    title = "Compute instance does not enable Secure Boot"
    severity = Severity.MEDIUM
    rationale = (
        "Shielded VM Secure Boot refuses boot loaders, kernels and drivers that are not "
        "signed by a trusted authority, so a bootkit or rootkit installed after a compromise "
        "cannot survive a reboot. It is off by default "
        "(shielded_instance_config.enable_secure_boot = false) even on images that support "
        "it."
    )
    remediation = (
        "Add shielded_instance_config { enable_secure_boot = true } (the image must support "
        "Shielded VM; drivers must be signed)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#enable_secure_boot",
        "https://cloud.google.com/compute/shielded-vm/docs/shielded-vm#secure-boot",
    )
    aliases = (
        "AVD-GCP-0067",
        "GCP-0067",
        "google-compute-enable-shielded-vm-sb",
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
}
"""
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
    resource_types = INSTANCES
    attribute = "shielded_instance_config.enable_secure_boot"
    condition = Equals(True)
    message = "{address} disables Secure Boot"
    missing_message = "{address} does not enable Secure Boot"
    fix = SetValue(
        "true",
        "Enable Secure Boot",
        applicability="unsafe",
        consequence="the instance restarts and unsigned drivers stop loading",
    )
    fix_description = (
        "Sets shielded_instance_config.enable_secure_boot = true (not preferred: the "
        "instance restarts, and unsigned drivers stop loading)."
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        return instance_default(entity, False)  # google provider, all majors
