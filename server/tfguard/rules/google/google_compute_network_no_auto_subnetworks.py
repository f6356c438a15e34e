from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleComputeNetworkNoAutoSubnetworks(Check):
    id = "google-compute-network-no-auto-subnetworks"
    title = "VPC network is created in auto mode"
    severity = Severity.MEDIUM
    rationale = (
        "An auto-mode network (auto_create_subnetworks = true, the provider's default) gets a "
        "subnetwork in every region from the same predefined 10.128.0.0/9 ranges, like the "
        "default network: workloads land in regions nobody chose, the ranges overlap with "
        "every other auto-mode network so peering and VPN become impossible, and none of "
        "the subnetworks has flow logs or Private Google Access. Custom mode makes every "
        "subnetwork explicit."
    )
    remediation = (
        "Set auto_create_subnetworks = false and declare the subnetworks the network needs "
        "with google_compute_subnetwork. Changing it replaces the network."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_network#auto_create_subnetworks",
        "https://cloud.google.com/vpc/docs/vpc#subnet-ranges",
    )
    bad_example = """
resource "google_compute_network" "main" {
  name = "main"
}
"""
    good_example = """
resource "google_compute_network" "main" {
  name                    = "main"
  auto_create_subnetworks = false
}
"""
    resource_types = ("google_compute_network",)
    attribute = "auto_create_subnetworks"
    condition = Equals(False)
    default = True  # google provider, all majors
    message = "Network {address} creates a subnetwork in every region (auto mode)"
    missing_message = (
        "Network {address} leaves auto_create_subnetworks at its default (true): a subnetwork "
        "in every region"
    )
    fix = SetValue(
        "false",
        "Use a custom-mode network (replaces the network)",
        applicability="unsafe",
        consequence="the network is replaced and its automatic subnetworks disappear",
    )
    fix_description = (
        "Sets auto_create_subnetworks = false (not preferred: the network is replaced and its "
        "automatic subnetworks disappear; declare the ones you need first)."
    )
