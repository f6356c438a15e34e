from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._purpose import ORDINARY_SUBNETWORK
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleComputeSubnetworkPrivateGoogleAccess(Check):
    id = "google-compute-subnetwork-private-google-access"
    title = "Subnetwork does not enable Private Google Access"
    severity = Severity.LOW
    rationale = (
        "Without Private Google Access, VMs and GKE nodes that have only internal addresses "
        "cannot reach Google APIs (Cloud Storage, Artifact Registry, Secret Manager, logging). "
        "Teams then give the instances external IP addresses or route API traffic through "
        "the internet, which is exactly what private subnetworks are meant to avoid. The "
        "provider's default is false."
    )
    remediation = "Set private_ip_google_access = true on the google_compute_subnetwork."
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_subnetwork#private_ip_google_access",
        "https://cloud.google.com/vpc/docs/private-google-access",
    )
    aliases = (
        "CKV_GCP_74",
        "AVD-GCP-0075",
        "GCP-0075",
        "google-compute-enable-subnetwork-private-google-access",
    )
    bad_example = """
resource "google_compute_subnetwork" "nodes" {
  name          = "gke-nodes"
  ip_cidr_range = "10.20.0.0/20"
  region        = "europe-west1"
  network       = "main"

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
"""
    good_example = """
resource "google_compute_subnetwork" "nodes" {
  name                     = "gke-nodes"
  ip_cidr_range            = "10.20.0.0/20"
  region                   = "europe-west1"
  network                  = "main"
  private_ip_google_access = true

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
"""
    resource_types = ("google_compute_subnetwork",)
    attribute = "private_ip_google_access"
    condition = Equals(True)
    default = False  # google provider, all majors
    only_if = (ORDINARY_SUBNETWORK,)
    message = "Subnetwork {address} disables Private Google Access"
    missing_message = "Subnetwork {address} does not enable Private Google Access"
    fix = SetValue("true", "Enable Private Google Access")
