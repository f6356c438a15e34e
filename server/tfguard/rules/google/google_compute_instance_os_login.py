from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._compute import INSTANCES, flag_is
from tfguard.rules.kit.declarative import Check


class GoogleComputeInstanceOsLogin(Check):
    id = "google-compute-instance-os-login"
    title = "Compute instance turns OS Login off"
    severity = Severity.MEDIUM
    rationale = (
        "enable-oslogin = FALSE in an instance's metadata overrides the project's OS Login "
        "setting: logins are then controlled by SSH keys in metadata instead of IAM, so "
        "revoking someone's access in IAM no longer locks them out, keys are never rotated, "
        "and there is no per-user audit trail or 2-step verification."
    )
    remediation = 'Remove enable-oslogin from the instance metadata, or set it to "TRUE".'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#metadata",
        "https://cloud.google.com/compute/docs/oslogin",
    )
    aliases = (
        "CKV_GCP_34",
        "AVD-GCP-0036",
        "GCP-0036",
        "google-compute-no-oslogin-override",
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

  metadata = {
    enable-oslogin = "FALSE"
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

  metadata = {
    enable-oslogin = "TRUE"
  }
}
"""
    resource_types = INSTANCES
    attribute = "metadata.enable-oslogin"
    condition = flag_is(True)
    message = "{address} turns OS Login off ({value})"
    fix_description = (
        'No automatic fix: the flag is a key of the metadata map; remove it or set it to "TRUE".'
    )
