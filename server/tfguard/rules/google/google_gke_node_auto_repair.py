from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._gke import NodeCheck
from tfguard.rules.google._support import since_major
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue
from tfguard.rules.kit.paths import Hit
from tfguard.rules.kit.values import Value


class GoogleGkeNodeAutoRepair(NodeCheck):
    id = "google-gke-node-auto-repair"
    title = "GKE node pool disables automatic node repair"
    severity = Severity.MEDIUM
    rationale = (
        "Auto-repair replaces nodes that fail health checks (a kubelet that stopped reporting, a "
        "full boot disk, a node that lost its network). Without it, broken nodes stay in the "
        "pool, their pods are squeezed onto the rest, and a node tampered with until it "
        "misbehaves is never recycled. The rule reads the provider's defaults: with no management"
        " block GKE enables it "
        "(every provider version); inside a management block that leaves auto_repair out, "
        "google provider 5.0 and later default to true and earlier majors to false, so the "
        "version constraint decides and the rule stays silent when it cannot tell."
    )
    remediation = "Set management { auto_repair = true } on the node pool."
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_node_pool#auto_repair",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-repair",
    )
    aliases = (
        "CKV_GCP_9",
        "AVD-GCP-0063",
        "GCP-0063",
        "google-gke-enable-auto-repair",
    )
    bad_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  management {
    auto_repair = false
  }
}
"""
    good_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  management {
    auto_repair  = true
    auto_upgrade = true
  }
}

resource "google_container_node_pool" "defaults" {
  name     = "defaults"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"
}
"""
    attribute = "management.auto_repair"
    condition = Equals(True)
    message = "{pool} disables automatic node repair"
    missing_message = (
        "{pool} has a management block without auto_repair, which is false with the google "
        "provider before 5.0"
    )
    fix = SetValue("true", "Enable automatic node repair")

    def default_at(self, module: Module, entity: Entity, hit: Hit) -> Value:
        if "management" in hit.missing:
            return True  # no management block: GKE's API default (enabled since 2020)
        # A management block without the flag: false before google 5.0, true since.
        return since_major(module, 5, False, True)
