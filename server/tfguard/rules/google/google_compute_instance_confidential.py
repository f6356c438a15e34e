from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._compute import INSTANCES
from tfguard.rules.kit.conditions import Equals, Matches
from tfguard.rules.kit.declarative import Check, When

# Machine families that run Confidential VMs (AMD SEV / SEV-SNP, Intel TDX).
CONFIDENTIAL_FAMILIES = r"^(n2d|c2d|c3d|c3)-"


class GoogleComputeInstanceConfidential(Check):
    id = "google-compute-instance-confidential"
    title = "Compute instance does not use Confidential Computing"
    severity = Severity.INFO
    rationale = (
        "Confidential VMs encrypt memory with keys the CPU holds (AMD SEV, Intel TDX), so data "
        "in use is protected from the host, the hypervisor and physical memory attacks. It "
        "matters for workloads that process regulated or highly sensitive data. Only instances "
        "whose machine type supports it (N2D, C2D, C3D, C3) are reported, and only as "
        "information."
    )
    remediation = (
        "For sensitive workloads, use a supported machine type and add "
        "confidential_instance_config { enable_confidential_compute = true } (or "
        'confidential_instance_type = "SEV").'
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#confidential_instance_config",
        "https://cloud.google.com/confidential-computing/confidential-vm/docs/confidential-vm-overview",
    )
    bad_example = """
resource "google_compute_instance" "app" {
  name         = "app"
  machine_type = "n2d-standard-2"
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
  name             = "app"
  machine_type     = "n2d-standard-2"
  zone             = "europe-west1-b"
  min_cpu_platform = "AMD Milan"

  boot_disk {
    initialize_params {
      image = "ubuntu-os-cloud/ubuntu-2204-lts"
    }
  }

  network_interface {
    subnetwork = "app"
  }

  confidential_instance_config {
    enable_confidential_compute = true
  }

  scheduling {
    on_host_maintenance = "TERMINATE"
  }
}
"""
    resource_types = INSTANCES[:3]
    attribute = "confidential_instance_config.enable_confidential_compute"
    condition = Equals(True)
    default = False  # google provider, all majors
    only_if = (When("machine_type", Matches(CONFIDENTIAL_FAMILIES)),)
    message = "{address} disables Confidential Computing"
    missing_message = "{address} does not use Confidential Computing"
    fix_description = (
        "No automatic fix: it needs a supported machine type and replaces the instance."
    )
