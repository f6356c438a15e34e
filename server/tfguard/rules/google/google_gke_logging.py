from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleGkeLogging(Check):
    id = "google-gke-logging"
    title = "GKE cluster sends no logs to Cloud Logging"
    severity = Severity.MEDIUM
    rationale = (
        'logging_service = "none" stops the cluster from shipping system and workload logs '
        "(and with them the Kubernetes audit events GKE writes) to Cloud Logging: incidents "
        "in the cluster can no longer be investigated and log-based alerts go quiet. The "
        "default is logging.googleapis.com/kubernetes."
    )
    remediation = (
        'Remove logging_service or set it to "logging.googleapis.com/kubernetes"; use '
        "logging_config to choose the components."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#logging_service",
        "https://cloud.google.com/kubernetes-engine/docs/concepts/about-logs",
    )
    aliases = (
        "CKV_GCP_1",
        "AVD-GCP-0060",
        "GCP-0060",
        "google-gke-enable-stackdriver-logging",
    )
    bad_example = """
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1
  logging_service          = "none"
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
  logging_service          = "logging.googleapis.com/kubernetes"
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "logging_service"
    condition = NotEquals("none")
    default = "logging.googleapis.com/kubernetes"  # google provider 3.x and later
    message = "GKE cluster {address} disables Cloud Logging"
    fix = SetValue('"logging.googleapis.com/kubernetes"', "Send logs to Cloud Logging")
