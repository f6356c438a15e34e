from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._gke import CLUSTER, NodeCheck, cluster_of, workload_identity
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import SetValue
from tfguard.rules.kit.paths import Hit
from tfguard.rules.kit.values import UNKNOWN, Value


class GoogleGkeNodeMetadataServer(NodeCheck):
    id = "google-gke-node-metadata-server"
    title = "GKE node pool exposes the Compute Engine metadata server to pods"
    severity = Severity.HIGH
    rationale = (
        'With workload_metadata_config.mode = "GCE_METADATA" (or the old EXPOSE / '
        "UNSPECIFIED), pods reach the node's real metadata server: they can take the node "
        "service account's OAuth token and read kube-env, which holds the kubelet's "
        "bootstrap credentials, so any compromised pod escalates to the node and often to "
        "the project. The GKE metadata server (GKE_METADATA) serves each pod only its own "
        "Workload Identity. A pool that leaves the mode out gets GKE_METADATA when the "
        "cluster enables Workload Identity; a cluster without it is reported by "
        "google-gke-workload-identity."
    )
    remediation = (
        'Set node_config.workload_metadata_config { mode = "GKE_METADATA" } and enable '
        "Workload Identity on the cluster."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#workload_metadata_config",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata",
    )
    aliases = (
        "CKV_GCP_69",
        "AVD-GCP-0057",
        "GCP-0057",
        "google-gke-node-metadata-security",
    )
    bad_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@app.iam.gserviceaccount.com"

    workload_metadata_config {
      mode = "GCE_METADATA"
    }
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

    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}
"""
    attribute = "node_config.workload_metadata_config.mode"
    condition = OneOf("GKE_METADATA", "GKE_METADATA_SERVER")
    message = "{pool} exposes the node's metadata server to pods (mode {value})"
    fix = SetValue(
        '"GKE_METADATA"',
        "Use the GKE metadata server",
        applicability="unsafe",
        consequence="pods lose the node's service account",
    )
    fix_description = (
        'Sets workload_metadata_config.mode = "GKE_METADATA" (not preferred: pods then get '
        "their Workload Identity instead of the node's service account, and the cluster "
        "must enable Workload Identity)."
    )

    def default_at(self, module: Module, entity: Entity, hit: Hit) -> Value:
        # Left out: GKE_METADATA when the cluster enables Workload Identity; without it the
        # cluster is reported by google-gke-workload-identity, so this rule stays silent.
        cluster = entity if entity.type == CLUSTER else cluster_of(module, entity)
        return "GKE_METADATA" if workload_identity(module, cluster) is True else UNKNOWN
