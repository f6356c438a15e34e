from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._gke import NodeCheck
from tfguard.rules.kit.conditions import Matches


class GoogleGkeNodeCosImage(NodeCheck):
    id = "google-gke-node-cos-image"
    title = "GKE node pool does not use Container-Optimized OS"
    severity = Severity.LOW
    rationale = (
        "Container-Optimized OS has a read-only, verified root file system, no package "
        "manager and a minimal attack surface, and GKE patches it with node upgrades. Ubuntu "
        "node images are general-purpose systems with far more software to exploit and to "
        "keep patched. Windows pools cannot use COS and are not reported; the default image "
        "is COS_CONTAINERD."
    )
    remediation = (
        'Use image_type = "COS_CONTAINERD" (or leave it out) unless the workload needs '
        "kernel modules or tools only Ubuntu provides."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#image_type",
        "https://cloud.google.com/kubernetes-engine/docs/concepts/node-images",
    )
    aliases = (
        "CKV_GCP_22",
        "AVD-GCP-0054",
        "GCP-0054",
        "google-gke-node-pool-uses-cos",
    )
    bad_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type    = "e2-standard-4"
    image_type      = "UBUNTU_CONTAINERD"
    service_account = "gke-nodes@app.iam.gserviceaccount.com"
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
    image_type      = "COS_CONTAINERD"
    service_account = "gke-nodes@app.iam.gserviceaccount.com"
  }
}
"""
    attribute = "node_config.image_type"
    condition = Matches(r"(?i)^(cos|windows)")
    default = "COS_CONTAINERD"  # GKE's default node image
    message = "{pool} uses the {value} node image"
    fix_description = (
        "No automatic fix: changing the image re-creates the nodes and may break workloads "
        "that rely on Ubuntu."
    )
