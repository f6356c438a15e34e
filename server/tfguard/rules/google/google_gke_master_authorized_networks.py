from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals, Not, Present
from tfguard.rules.kit.declarative import Check, InsertBlock, When


class GoogleGkeMasterAuthorizedNetworks(Check):
    id = "google-gke-master-authorized-networks"
    title = "GKE control plane accepts connections from any address"
    severity = Severity.HIGH
    rationale = (
        "A cluster whose control plane has a public endpoint and no "
        "master_authorized_networks_config accepts Kubernetes API connections from every "
        "address on the internet. Authentication still applies, but the API server is then "
        "exposed to credential stuffing, leaked kubeconfigs and every pre-authentication "
        "vulnerability of Kubernetes. Authorized networks, or a private endpoint, limit who "
        "can even reach it."
    )
    remediation = (
        "Add master_authorized_networks_config with cidr_blocks for the administrators' and "
        "CI's ranges, or make the endpoint private (private_cluster_config."
        "enable_private_endpoint = true) and reach it through the VPC."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#master_authorized_networks_config",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks",
    )
    aliases = (
        "CKV_GCP_20",
        "AVD-GCP-0061",
        "GCP-0061",
        "google-gke-enable-master-networks",
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

  master_authorized_networks_config {
    cidr_blocks {
      cidr_block   = "203.0.113.0/24"
      display_name = "office"
    }
  }
}

resource "google_container_cluster" "internal" {
  name                     = "internal"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = true
    master_ipv4_cidr_block  = "172.16.0.16/28"
  }
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "master_authorized_networks_config"
    condition = Present()
    # A private endpoint (or, since google 6.x, a disabled IP endpoint) has no public face.
    only_if = (
        When("private_cluster_config.enable_private_endpoint", Not(Equals(True)), False),
        When(
            "control_plane_endpoints_config.ip_endpoints_config.enabled", Not(Equals(False)), True
        ),
    )
    message = (
        "GKE cluster {address} has a public control plane endpoint and no authorized "
        "networks: the Kubernetes API is reachable from any address"
    )
    fix = InsertBlock(
        "master_authorized_networks_config {\n}",
        "Accept control plane connections only from private addresses",
        applicability="unsafe",
        consequence="only private addresses can reach the Kubernetes API",
    )
    fix_description = (
        "Adds an empty master_authorized_networks_config (not preferred: only Google-internal "
        "and VPC addresses can then reach the API; add cidr_blocks for administrators and CI "
        "before applying)."
    )
