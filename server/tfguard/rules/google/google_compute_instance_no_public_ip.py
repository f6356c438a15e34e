from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._compute import INSTANCES
from tfguard.rules.kit.conditions import Absent
from tfguard.rules.kit.declarative import Check


class GoogleComputeInstanceNoPublicIp(Check):
    id = "google-compute-instance-no-public-ip"
    title = "Compute instance has an external IP address"
    severity = Severity.MEDIUM
    rationale = (
        "An access_config block in network_interface gives the instance an external IP "
        "address: every port the firewall lets through is reachable from the internet, and "
        "the instance can reach the internet without going through Cloud NAT or an egress "
        "proxy. Instances behind a load balancer, IAP or Cloud NAT need no external address."
    )
    remediation = (
        "Remove the access_config block; reach the instance through Identity-Aware Proxy or a "
        "load balancer, and give it egress through Cloud NAT."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#access_config",
        "https://cloud.google.com/compute/docs/ip-addresses#externaladdresses",
    )
    aliases = (
        "CKV_GCP_40",
        "AVD-GCP-0031",
        "GCP-0031",
        "google-compute-no-public-ip",
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

  network_interface {
    subnetwork = "dmz"

    access_config {
      network_tier = "PREMIUM"
    }
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
}
"""
    resource_types = INSTANCES
    attribute = "network_interface.access_config"
    condition = Absent()
    message = "{address} has an external IP address (network_interface.access_config)"
    fix_description = (
        "No automatic fix: removing the external address changes how the instance is reached "
        "and how it reaches the internet (Cloud NAT)."
    )
