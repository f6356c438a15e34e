from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._gke_accounts import DefaultAccountCheck


class GoogleGkeNodeDefaultServiceAccount(DefaultAccountCheck):
    id = "google-gke-node-default-service-account"
    title = "GKE node pool runs as the Compute Engine default service account"
    severity = Severity.MEDIUM
    rationale = (
        "A node pool without node_config.service_account runs its nodes as the Compute Engine "
        "default service account, which projects usually leave with the Editor role. Every "
        "node, and through the metadata server every pod without Workload Identity, then "
        "acts with rights far beyond writing logs and metrics; the node's default OAuth "
        "scopes are the only thing holding them back. (With the cloud-platform scope it is "
        "reported by google-gke-node-default-sa-full-scope instead.)"
    )
    remediation = (
        "Create a dedicated google_service_account with roles/container.defaultNodeServiceAccount "
        "(logging, monitoring, image pulls) and set it as node_config.service_account."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#service_account",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts#default-gke-service-agent",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa",
    )
    aliases = (
        "CKV2_GCP_1",
        "AVD-GCP-0050",
        "GCP-0050",
        "google-gke-use-service-account",
    )
    bad_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type = "e2-standard-4"
  }
}
"""
    good_example = """
resource "google_service_account" "nodes" {
  account_id = "gke-nodes"
}

resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type    = "e2-standard-4"
    service_account = google_service_account.nodes.email
  }
}
"""
    full_scope = False
    message = "{pool} runs as the Compute Engine default service account"
