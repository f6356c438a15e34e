from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check


class GoogleGkeSecretsEncryption(Check):
    id = "google-gke-secrets-encryption"
    title = "GKE cluster does not encrypt Kubernetes secrets with Cloud KMS"
    severity = Severity.LOW
    rationale = (
        "etcd is encrypted at rest with Google-managed keys, but application-layer secrets "
        "encryption (database_encryption with a Cloud KMS key) adds an envelope key you "
        "control: access to secrets can then be audited and revoked through the key, and a "
        "copy of etcd alone reveals nothing. The default state is DECRYPTED."
    )
    remediation = (
        'Add database_encryption { state = "ENCRYPTED", key_name = <KMS key id> } and grant '
        "the GKE service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on the key."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#database_encryption",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets",
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

  database_encryption {
    state    = "ENCRYPTED"
    key_name = "projects/app/locations/europe-west1/keyRings/gke/cryptoKeys/etcd"
  }
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "database_encryption.state"
    condition = Equals("ENCRYPTED")
    default = "DECRYPTED"  # google provider, all majors
    message = "GKE cluster {address} sets database_encryption to {value}"
    missing_message = (
        "GKE cluster {address} does not encrypt Kubernetes secrets with a Cloud KMS key"
    )
    fix_description = "No automatic fix: it needs a Cloud KMS key and a grant to GKE."
