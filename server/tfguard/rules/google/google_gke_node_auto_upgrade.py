from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._gke import NodeCheck
from tfguard.rules.google._support import since_major
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue
from tfguard.rules.kit.paths import Hit
from tfguard.rules.kit.values import Value


class GoogleGkeNodeAutoUpgrade(NodeCheck):
    id = "google-gke-node-auto-upgrade"
    title = "GKE node pool disables automatic node upgrade"
    severity = Severity.MEDIUM
    rationale = (
        "Auto-upgrade keeps the nodes on the control plane's supported version and applies GKE "
        "security bulletins (kernel, containerd, kubelet fixes) without someone scheduling it. "
        "Pools with auto_upgrade = false fall behind, keep known container-escape vulnerabilities"
        " and eventually block control-plane upgrades. The rule reads the provider's defaults: "
        "with no management block GKE enables it "
        "(every provider version); inside a management block that leaves auto_upgrade out, "
        "google provider 5.0 and later default to true and earlier majors to false, so the "
        "version constraint decides and the rule stays silent when it cannot tell."
    )
    remediation = "Set management { auto_upgrade = true } on the node pool."
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_node_pool#auto_upgrade",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-upgrades",
    )
    aliases = (
        "CKV_GCP_10",
        "AVD-GCP-0058",
        "GCP-0058",
        "google-gke-enable-auto-upgrade",
    )
    bad_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  management {
    auto_upgrade = false
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
    attribute = "management.auto_upgrade"
    condition = Equals(True)
    message = "{pool} disables automatic node upgrade"
    missing_message = (
        "{pool} has a management block without auto_upgrade, which is false with the google "
        "provider before 5.0"
    )
    fix = SetValue("true", "Enable automatic node upgrade")

    def default_at(self, module: Module, entity: Entity, hit: Hit) -> Value:
        if "management" in hit.missing:
            return True  # no management block: GKE's API default (enabled since 2020)
        # A management block without the flag: false before google 5.0, true since.
        return since_major(module, 5, False, True)
