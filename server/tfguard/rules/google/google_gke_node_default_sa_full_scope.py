from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._gke_accounts import DefaultAccountCheck


class GoogleGkeNodeDefaultSaFullScope(DefaultAccountCheck):
    id = "google-gke-node-default-sa-full-scope"
    title = "GKE node pool gives the default service account the cloud-platform scope"
    severity = Severity.HIGH
    rationale = (
        "The cloud-platform OAuth scope lifts the only limit on the Compute Engine default "
        "service account, which usually holds the Editor role: every node, and every pod "
        "that can reach the node's metadata server, can then create, read and delete almost "
        "anything in the project. Module defaults often ask for cloud-platform because it is "
        "the recommended scope, which is only true with a least-privilege service account."
    )
    remediation = (
        "Set node_config.service_account to a dedicated account with "
        "roles/container.defaultNodeServiceAccount; keep cloud-platform only with that "
        "account."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#oauth_scopes",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/access-scopes",
    )
    bad_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type = "e2-standard-4"
    oauth_scopes = ["https://www.googleapis.com/auth/cloud-platform"]
  }
}
"""
    good_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@app.iam.gserviceaccount.com"
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
  }
}
"""
    full_scope = True
    message = (
        "{pool} runs as the Compute Engine default service account with the cloud-platform scope"
    )
