from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._gke import NOT_AUTOPILOT, is_autopilot
from tfguard.rules.kit.conditions import Equals, NotEquals
from tfguard.rules.kit.declarative import Check, SetValue, When
from tfguard.rules.kit.paths import Hit, lookup
from tfguard.rules.kit.values import Value, as_bool


class GoogleGkeNetworkPolicy(Check):
    id = "google-gke-network-policy"
    title = "GKE cluster does not enforce Kubernetes network policies"
    severity = Severity.MEDIUM
    rationale = (
        "Without a network policy enforcer, NetworkPolicy objects are accepted and silently "
        "ignored: every pod can connect to every other pod and service in the cluster, so "
        "one compromised workload reaches the databases, the metadata of other namespaces "
        "and the cluster's internal APIs. GKE enforces policies with Dataplane V2 "
        '(datapath_provider = "ADVANCED_DATAPATH") or the Calico add-on (network_policy '
        "{ enabled = true }); neither is on by default on Standard clusters."
    )
    remediation = (
        'Create clusters with datapath_provider = "ADVANCED_DATAPATH" (Dataplane V2), or '
        "enable network_policy { enabled = true } with addons_config."
        "network_policy_config { disabled = false }, then write NetworkPolicies."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#network_policy",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy",
        "https://cloud.google.com/kubernetes-engine/docs/concepts/dataplane-v2",
    )
    aliases = (
        "CKV_GCP_12",
        "AVD-GCP-0056",
        "GCP-0056",
        "google-gke-enable-network-policy",
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
  datapath_provider        = "ADVANCED_DATAPATH"
}

resource "google_container_cluster" "calico" {
  name                     = "calico"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1

  network_policy {
    enabled  = true
    provider = "CALICO"
  }

  addons_config {
    network_policy_config {
      disabled = false
    }
  }
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "network_policy.enabled"
    condition = Equals(True)
    default = False  # google provider, all majors
    # Dataplane V2 enforces policies itself; Autopilot always runs it.
    only_if = (
        When("datapath_provider", NotEquals("ADVANCED_DATAPATH"), "LEGACY_DATAPATH"),
        NOT_AUTOPILOT,
    )
    message = "GKE cluster {address} disables network policy enforcement"
    missing_message = (
        "GKE cluster {address} enforces no network policies (neither Dataplane V2 nor "
        "network_policy)"
    )
    fix = SetValue(
        "true",
        "Enable network policy enforcement (Calico)",
        applicability="unsafe",
        consequence="GKE re-creates the nodes to add the enforcer",
    )

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        yield from super().failures(module, entity)
        # network_policy enabled, but the Calico add-on it needs explicitly disabled.
        if is_autopilot(module, entity) is not False:
            return
        datapath = module.attr_value(entity, "datapath_provider", "LEGACY_DATAPATH")
        if datapath != "LEGACY_DATAPATH" and datapath != "DATAPATH_PROVIDER_UNSPECIFIED":
            return  # Dataplane V2 (or unknown)
        enabled = lookup(module, entity, "network_policy.enabled")
        if not enabled or not enabled[0].present or as_bool(enabled[0].value) is not True:
            return
        for hit in lookup(module, entity, "addons_config.network_policy_config.disabled"):
            if hit.present and as_bool(hit.value) is True:
                yield hit, hit.value

    fix_description = (
        "Sets network_policy.enabled = true (not preferred: GKE re-creates the nodes to add "
        "the enforcer, and the add-on must also be enabled in addons_config; Dataplane V2 "
        "can only be chosen when the cluster is created)."
    )
