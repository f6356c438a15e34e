from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._gke import NOT_AUTOPILOT
from tfguard.rules.google._support import since_major
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.values import Value


class GoogleGkeShieldedNodes(Check):
    id = "google-gke-shielded-nodes"
    title = "GKE cluster does not use Shielded GKE Nodes"
    severity = Severity.MEDIUM
    rationale = (
        "Shielded GKE Nodes give every node a verifiable identity (vTPM-backed) and boot "
        "integrity: without them, an attacker who obtains a node's bootstrap credentials "
        "(for example from the metadata server of a compromised pod) can impersonate a node "
        "and receive the secrets of pods scheduled on it. enable_shielded_nodes defaults to "
        "true since google provider 4.0 and to false before; the rule reads the provider "
        "version constraint and stays silent when it cannot tell."
    )
    remediation = "Set enable_shielded_nodes = true (or leave it out with google provider >= 4.0)."
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#enable_shielded_nodes",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/shielded-gke-nodes",
    )
    aliases = (
        "CKV_GCP_71",
        "AVD-GCP-0055",
        "GCP-0055",
        "google-gke-node-shielding-enabled",
    )
    bad_example = """
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1
  enable_shielded_nodes    = false
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
  enable_shielded_nodes    = true
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "enable_shielded_nodes"
    condition = Equals(True)
    only_if = (NOT_AUTOPILOT,)
    message = "GKE cluster {address} disables Shielded GKE Nodes"
    missing_message = (
        "GKE cluster {address} does not enable Shielded GKE Nodes (the default before "
        "google provider 4.0)"
    )
    fix = SetValue("true", "Enable Shielded GKE Nodes")
    fix_description = (
        "Sets enable_shielded_nodes = true (GKE re-creates the nodes in a rolling update)."
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        # google 3.x: false; 4.x and later: true.
        return since_major(module, 4, False, True)
