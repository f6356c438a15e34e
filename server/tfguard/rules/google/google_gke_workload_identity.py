from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._gke import NOT_AUTOPILOT
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class GoogleGkeWorkloadIdentity(Check):
    id = "google-gke-workload-identity"
    title = "GKE cluster does not enable Workload Identity"
    severity = Severity.MEDIUM
    rationale = (
        "Without Workload Identity, pods that call Google APIs use the node's service account "
        "through the metadata server: every pod on a node has the same (usually broad) "
        "Google identity, and teams fall back to exporting service-account keys into "
        "Kubernetes secrets. Workload Identity maps each Kubernetes service account to its "
        "own IAM identity and is what the GKE metadata server needs."
    )
    remediation = (
        'Add workload_identity_config { workload_pool = "<project-id>.svc.id.goog" } and '
        'set workload_metadata_config { mode = "GKE_METADATA" } on the node pools.'
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#workload_identity_config",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity",
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

  workload_identity_config {
    workload_pool = "app-prod-7f3a.svc.id.goog"
  }
}

resource "google_container_cluster" "autopilot" {
  name             = "autopilot"
  location         = "europe-west1"
  network          = "main"
  subnetwork       = "gke"
  enable_autopilot = true
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "workload_identity_config.workload_pool"
    condition = NotEmpty()
    only_if = (NOT_AUTOPILOT,)  # Autopilot always enables it
    message = "GKE cluster {address} sets an empty Workload Identity pool"
    missing_message = (
        "GKE cluster {address} does not enable Workload Identity: pods share the node's "
        "Google identity"
    )
    fix_description = (
        "No automatic fix: the pool is <project-id>.svc.id.goog of the cluster's project, "
        "and enabling it changes how every pod authenticates to Google APIs."
    )
