from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleGkePrivateNodes(Check):
    id = "google-gke-private-nodes"
    title = "GKE cluster nodes have public IP addresses"
    severity = Severity.MEDIUM
    rationale = (
        "Without private nodes (private_cluster_config.enable_private_nodes = true) every "
        "GKE node gets an external IP address: the kubelet, NodePorts and anything a pod "
        "binds with hostNetwork are one firewall mistake away from the internet, and the "
        "nodes' egress cannot be pinned to known addresses. Private nodes reach the internet "
        "through Cloud NAT and the control plane over the VPC. The default is public nodes."
    )
    remediation = (
        "Add private_cluster_config { enable_private_nodes = true, master_ipv4_cidr_block = "
        '"172.16.0.0/28" } (or rely on Private Service Connect), and give the network a '
        "Cloud NAT for egress."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#enable_private_nodes",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/private-clusters",
    )
    aliases = (
        "CKV_GCP_64",
        "CKV_GCP_25",
        "AVD-GCP-0059",
        "GCP-0059",
        "google-gke-enable-private-cluster",
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

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = "172.16.0.0/28"
  }
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "private_cluster_config.enable_private_nodes"
    condition = Equals(True)
    default = False  # google provider, all majors
    message = "GKE cluster {address} disables private nodes"
    missing_message = "GKE cluster {address} does not enable private nodes: nodes get public IPs"
    fix = SetValue(
        "true",
        "Enable private nodes",
        applicability="unsafe",
        consequence="nodes lose their external addresses",
    )
    fix_description = (
        "Sets private_cluster_config.enable_private_nodes = true (not preferred: nodes lose "
        "their external addresses, so egress needs Cloud NAT, and older clusters are "
        "replaced)."
    )
