from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class GoogleGkeResourceLabels(Check):
    id = "google-gke-resource-labels"
    title = "GKE cluster has no resource labels"
    severity = Severity.LOW
    rationale = (
        "resource_labels are copied to the cluster's VMs, disks and load balancers: they are "
        "how billing, inventory and incident response find the owner and environment of "
        "the resources a cluster creates. Without them nobody can tell whose nodes are "
        "running or which team to page."
    )
    remediation = "Add resource_labels (for example team, env and cost-center) to the cluster."
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#resource_labels",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/creating-managing-labels",
    )
    aliases = (
        "CKV_GCP_21",
        "AVD-GCP-0051",
        "GCP-0051",
        "google-gke-use-cluster-labels",
    )
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

  resource_labels = {
    team = "platform"
    env  = "prod"
  }
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "resource_labels"
    condition = NotEmpty()
    message = "GKE cluster {address} has empty resource labels"
    missing_message = "GKE cluster {address} has no resource labels"
    fix_description = "No automatic fix: labels follow the organisation's conventions."
