from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleGkeMonitoring(Check):
    id = "google-gke-monitoring"
    title = "GKE cluster sends no metrics to Cloud Monitoring"
    severity = Severity.LOW
    rationale = (
        'monitoring_service = "none" turns off the cluster\'s system metrics: node and '
        "control-plane health, resource exhaustion and the signals security tooling (and "
        "GKE's own security posture dashboards) read are no longer collected, so attacks "
        "such as crypto-mining show up only on the invoice. The default is "
        "monitoring.googleapis.com/kubernetes."
    )
    remediation = 'Remove monitoring_service or set it to "monitoring.googleapis.com/kubernetes".'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#monitoring_service",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/configure-metrics",
    )
    aliases = (
        "CKV_GCP_8",
        "AVD-GCP-0052",
        "GCP-0052",
        "google-gke-enable-stackdriver-monitoring",
    )
    bad_example = """
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1
  monitoring_service       = "none"
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
  monitoring_service       = "monitoring.googleapis.com/kubernetes"
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "monitoring_service"
    condition = NotEquals("none")
    default = "monitoring.googleapis.com/kubernetes"  # google provider 3.x and later
    message = "GKE cluster {address} disables Cloud Monitoring"
    fix = SetValue('"monitoring.googleapis.com/kubernetes"', "Send metrics to Cloud Monitoring")
