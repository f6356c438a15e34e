from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.base import Anchor
from tfguard.rules.kit.conditions import Satisfies
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.network import is_open_cidr
from tfguard.rules.kit.paths import Hit
from tfguard.rules.kit.values import UNKNOWN, Value, as_string


def _not_open(value: Value) -> Value:
    text = as_string(value)
    return UNKNOWN if text is UNKNOWN else not is_open_cidr(text)


class GoogleGkeControlPlaneNotPublic(Check):
    id = "google-gke-control-plane-not-public"
    title = "GKE authorized networks admit the whole internet"
    severity = Severity.HIGH
    rationale = (
        "A master_authorized_networks_config that lists 0.0.0.0/0 (or ::/0) looks like a "
        "restriction but admits every address: the Kubernetes API of the cluster is exposed "
        "to the whole internet, with the same risks as no authorized networks at all, "
        "while reviews believe it is limited."
    )
    remediation = (
        "Replace the 0.0.0.0/0 entry with the ranges administrators and CI connect from, or "
        "use a private endpoint."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#cidr_blocks",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks",
    )
    aliases = (
        "CKV_GCP_18",
        "AVD-GCP-0053",
        "GCP-0053",
        "google-gke-no-public-control-plane",
    )
    bad_example = """
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1

  master_authorized_networks_config {
    cidr_blocks {
      cidr_block   = "0.0.0.0/0"
      display_name = "anywhere"
    }
  }
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
"""
    resource_types = ("google_container_cluster",)
    attribute = "master_authorized_networks_config.cidr_blocks.cidr_block"
    condition = Satisfies(_not_open, "must not admit every address")
    message = "GKE cluster {address} authorizes {value} to reach its control plane"
    fix_description = "No automatic fix: which ranges should reach the API is the author's call."

    def related_for(
        self, module: Module, entity: Entity, hit: Hit
    ) -> list[tuple[Entity, Anchor, str]]:
        return [
            (entity, block, "the authorized networks")
            for block in entity.block.blocks_of("master_authorized_networks_config")
        ]
