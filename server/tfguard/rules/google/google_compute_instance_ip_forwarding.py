from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._compute import INSTANCES
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleComputeInstanceIpForwarding(Check):
    id = "google-compute-instance-ip-forwarding"
    title = "Compute instance can forward packets for other addresses"
    severity = Severity.MEDIUM
    rationale = (
        "can_ip_forward = true lets the instance send and receive packets whose source or "
        "destination is not its own address. Unless the VM is meant to be a router, NAT or "
        "firewall appliance, a compromise of it can then spoof other hosts' addresses and "
        "route traffic around the VPC's firewall rules. The default is false."
    )
    remediation = (
        "Remove can_ip_forward (or set it to false) on instances that are not network "
        "appliances; use Cloud NAT and Cloud Router instead of routing VMs."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#can_ip_forward",
        "https://cloud.google.com/vpc/docs/using-routes#canipforward",
    )
    aliases = (
        "CKV_GCP_36",
        "AVD-GCP-0043",
        "GCP-0043",
        "google-compute-no-ip-forwarding",
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
  can_ip_forward = true
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
  can_ip_forward = false
}
"""
    resource_types = INSTANCES
    attribute = "can_ip_forward"
    condition = Equals(False)
    default = False  # google provider, all majors
    message = "{address} enables IP forwarding"
    fix = SetValue(
        "false",
        "Disable IP forwarding",
        applicability="unsafe",
        consequence="the instance is re-created and stops routing for others",
    )
    fix_description = (
        "Sets can_ip_forward = false (not preferred: the instance is re-created, and a VM "
        "that routes for others stops doing so)."
    )
