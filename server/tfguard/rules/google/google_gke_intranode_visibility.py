from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._gke import NOT_AUTOPILOT
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleGkeIntranodeVisibility(Check):
    id = "google-gke-intranode-visibility"
    title = "GKE cluster hides pod-to-pod traffic on the same node"
    severity = Severity.LOW
    rationale = (
        "Traffic between two pods on the same node never leaves the node, so VPC flow logs "
        "and VPC firewall rules do not see it unless intranode visibility is on. An attacker "
        "moving between co-located pods leaves no network record. enable_intranode_visibility "
        "defaults to false."
    )
    remediation = "Set enable_intranode_visibility = true (and enable flow logs on the subnetwork)."
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#enable_intranode_visibility",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/intranode-visibility",
    )
    aliases = ("CKV_GCP_61",)
    bad_example = """
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1
}
"""
    good_example = """
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1
  enable_intranode_visibility = true
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "enable_intranode_visibility"
    condition = Equals(True)
    default = False  # google provider, all majors
    only_if = (NOT_AUTOPILOT,)
    message = "GKE cluster {address} disables intranode visibility"
    missing_message = "GKE cluster {address} does not enable intranode visibility"
    fix = SetValue("true", "Enable intranode visibility")
