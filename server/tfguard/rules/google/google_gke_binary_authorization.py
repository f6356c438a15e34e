from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals, Not, OneOf
from tfguard.rules.kit.declarative import Check, SetValue, When


class GoogleGkeBinaryAuthorization(Check):
    id = "google-gke-binary-authorization"
    title = "GKE cluster does not enforce Binary Authorization"
    severity = Severity.MEDIUM
    rationale = (
        "Binary Authorization checks at deploy time that images come from approved "
        "registries or carry attestations from the build pipeline. Without it, anyone who "
        "can create a pod can run any image from anywhere, including a typosquatted or "
        "tampered one; evaluation_mode defaults to DISABLED."
    )
    remediation = (
        'Add binary_authorization { evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE" } '
        "and define the project's policy (google_binary_authorization_policy)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#binary_authorization",
        "https://cloud.google.com/binary-authorization/docs/overview",
    )
    aliases = ("CKV_GCP_66",)
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

  binary_authorization {
    evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE"
  }
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "binary_authorization.evaluation_mode"
    condition = OneOf(
        "PROJECT_SINGLETON_POLICY_ENFORCE",
        "POLICY_BINDINGS",
        "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE",
    )
    default = "DISABLED"  # google provider 4.x and later
    # enable_binary_authorization = true: the pre-4.0 switch, still accepted.
    only_if = (When("enable_binary_authorization", Not(Equals(True)), False),)
    message = "GKE cluster {address} sets Binary Authorization to {value}"
    missing_message = "GKE cluster {address} does not enforce Binary Authorization"
    fix = SetValue(
        '"PROJECT_SINGLETON_POLICY_ENFORCE"',
        "Enforce the project's policy",
        applicability="unsafe",
        consequence="deployments the project's policy rejects stop being admitted",
    )
    fix_description = (
        'Sets binary_authorization.evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE" (not '
        "preferred: deployments the project's policy rejects stop being admitted)."
    )
