from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleGkeNoClientCertificate(Check):
    id = "google-gke-no-client-certificate"
    title = "GKE cluster issues a legacy client certificate"
    severity = Severity.HIGH
    rationale = (
        "With master_auth.client_certificate_config.issue_client_certificate = true, GKE "
        "creates a client certificate with cluster-admin rights and stores it in the "
        "cluster's state (and Terraform's). The certificate cannot be revoked short of "
        "rotating the cluster's CA, so anyone who ever read the state keeps admin access."
    )
    remediation = (
        "Set issue_client_certificate = false (or remove master_auth) and authenticate with "
        "Google identities (gcloud / gke-gcloud-auth-plugin). Changing it recreates the "
        "cluster on older clusters."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#issue_client_certificate",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#restrict_authn_methods",
    )
    aliases = (
        "CKV_GCP_13",
        "AVD-GCP-0064",
        "GCP-0064",
        "google-gke-no-legacy-authentication",
    )
    bad_example = """
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1

  master_auth {
    client_certificate_config {
      issue_client_certificate = true
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

  master_auth {
    client_certificate_config {
      issue_client_certificate = false
    }
  }
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "master_auth.client_certificate_config.issue_client_certificate"
    condition = Equals(False)
    default = False  # google provider 3.x and later
    message = "GKE cluster {address} issues a client certificate with cluster-admin rights"
    fix = SetValue(
        "false",
        "Stop issuing the client certificate",
        applicability="unsafe",
        consequence="the cluster is replaced",
    )
    fix_description = (
        "Sets issue_client_certificate = false (not preferred: the provider replaces the "
        "cluster to change it)."
    )
