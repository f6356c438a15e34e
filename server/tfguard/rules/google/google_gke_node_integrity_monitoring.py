from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._gke import NodeCheck
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue


class GoogleGkeNodeIntegrityMonitoring(NodeCheck):
    id = "google-gke-node-integrity-monitoring"
    title = "GKE node pool disables integrity monitoring"
    severity = Severity.MEDIUM
    rationale = (
        "Integrity monitoring compares each node's measured boot against a known-good "
        "baseline and reports when the boot chain changes, the signal that a node was "
        "tampered with. It is on by default (enable_integrity_monitoring defaults to true); "
        "turning it off removes the only boot-level tamper evidence a node has."
    )
    remediation = (
        "Remove enable_integrity_monitoring = false from shielded_instance_config, or set "
        "it to true."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#enable_integrity_monitoring",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/shielded-gke-nodes#integrity_monitoring",
    )
    aliases = ("CKV_GCP_72",)
    bad_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@app.iam.gserviceaccount.com"

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = false
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

    shielded_instance_config {
      enable_secure_boot = true
    }
  }
}
"""
    attribute = "node_config.shielded_instance_config.enable_integrity_monitoring"
    condition = Equals(True)
    default = True  # google provider, all majors
    message = "{pool} disables integrity monitoring"
    fix = SetValue(
        "true",
        "Enable integrity monitoring",
        applicability="unsafe",
        consequence="the node pool is re-created",
    )
    fix_description = (
        "Sets enable_integrity_monitoring = true (not preferred: the node pool is re-created)."
    )
