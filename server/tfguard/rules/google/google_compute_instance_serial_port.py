from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._compute import INSTANCES, flag_is
from tfguard.rules.kit.declarative import Check


class GoogleComputeInstanceSerialPort(Check):
    id = "google-compute-instance-serial-port"
    title = "Compute instance enables the interactive serial console"
    severity = Severity.MEDIUM
    rationale = (
        "metadata serial-port-enable = TRUE opens the instance's interactive serial console "
        "to anyone who has an SSH key for it, from any address: the connection goes through "
        "Google's serial-port proxy, so firewall rules and the absence of an external IP do "
        "not apply, and console logins are rarely monitored."
    )
    remediation = (
        'Remove serial-port-enable from the instance metadata (or set it to "FALSE"); read '
        "boot output with serial port logging instead."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#metadata",
        "https://cloud.google.com/compute/docs/troubleshooting/troubleshooting-using-serial-console",
    )
    aliases = (
        "CKV_GCP_35",
        "AVD-GCP-0032",
        "GCP-0032",
        "google-compute-no-serial-port",
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
    serial-port-enable = "TRUE"
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
    serial-port-enable = "FALSE"
  }
}
"""
    resource_types = INSTANCES
    attribute = "metadata.serial-port-enable"
    condition = flag_is(False)
    default = False  # GCE: off unless the metadata key enables it
    message = "{address} enables the interactive serial console ({value})"
    fix_description = (
        'No automatic fix: the flag is a key of the metadata map; remove it or set it to "FALSE".'
    )
