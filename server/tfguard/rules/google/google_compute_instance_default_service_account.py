from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._compute_accounts import DefaultAccountRule


class GoogleComputeInstanceDefaultServiceAccount(DefaultAccountRule):
    id = "google-compute-instance-default-service-account"
    title = "Compute instance runs as the default service account"
    severity = Severity.MEDIUM
    rationale = (
        "The Compute Engine default service account is shared by every VM that does not "
        "name another one and usually holds the project's Editor role. An instance running "
        "as it is limited only by its OAuth scopes; any code that reaches the metadata "
        "server gets a token that, with one scope change anywhere, can modify most of the "
        "project. (With the cloud-platform scope it is reported by "
        "google-compute-instance-default-sa-full-scope.)"
    )
    remediation = (
        "Create a google_service_account for the workload, grant it only the roles it needs, "
        "and set it as service_account.email."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#service_account",
        "https://cloud.google.com/compute/docs/access/service-accounts#default_service_account",
    )
    aliases = (
        "CKV_GCP_30",
        "AVD-GCP-0044",
        "GCP-0044",
        "google-compute-no-default-service-account",
    )
    bad_example = """
resource "google_compute_instance" "app" {
  name         = "app"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "app"
  }

  service_account {
    scopes = ["logging-write", "monitoring-write"]
  }
}
"""
    good_example = """
resource "google_service_account" "app" {
  account_id = "app"
}

resource "google_compute_instance" "app" {
  name         = "app"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "app"
  }

  service_account {
    email  = google_service_account.app.email
    scopes = ["cloud-platform"]
  }
}
"""
    full_scope = False
