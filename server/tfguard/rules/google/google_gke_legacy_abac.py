from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleGkeLegacyAbac(Check):
    id = "google-gke-legacy-abac"
    title = "GKE cluster enables legacy ABAC authorization"
    severity = Severity.HIGH
    rationale = (
        "Legacy attribute-based access control grants static, cluster-wide permissions that "
        "RBAC cannot narrow: with enable_legacy_abac = true, service accounts and nodes get "
        "broad rights (historically every pod could read every secret), and RoleBindings "
        "no longer describe who can do what."
    )
    remediation = (
        "Remove enable_legacy_abac or set it to false, after granting what workloads need "
        "with Kubernetes RBAC."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#enable_legacy_abac",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#leave_abac_disabled_default_for_110",
    )
    aliases = (
        "CKV_GCP_7",
        "AVD-GCP-0062",
        "GCP-0062",
        "google-gke-use-rbac-permissions",
    )
    bad_example = """
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1
  enable_legacy_abac       = true
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
  enable_legacy_abac       = false
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "enable_legacy_abac"
    condition = Equals(False)
    default = False  # google provider, all majors
    message = "GKE cluster {address} enables legacy ABAC"
    fix = SetValue(
        "false",
        "Disable legacy ABAC",
        applicability="unsafe",
        consequence="workloads lose the rights ABAC gave them",
    )
    fix_description = (
        "Sets enable_legacy_abac = false (not preferred: workloads that relied on ABAC lose "
        "those rights until RBAC grants them)."
    )
