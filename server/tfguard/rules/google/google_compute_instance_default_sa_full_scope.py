from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._compute_accounts import DefaultAccountRule


class GoogleComputeInstanceDefaultSaFullScope(DefaultAccountRule):
    id = "google-compute-instance-default-sa-full-scope"
    title = "Compute instance gives the default service account full API access"
    severity = Severity.HIGH
    rationale = (
        "The default service account usually holds the Editor role; with the cloud-platform "
        "scope nothing limits it any more, so any process on the instance (or anyone who "
        "exploits a server-side request forgery to reach the metadata server) can read and "
        "change almost everything in the project: buckets, databases, other VMs, IAM."
    )
    remediation = (
        "Run the instance as a dedicated service account with only the roles it needs (then "
        "cloud-platform is fine), or narrow the scopes."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#scopes",
        "https://cloud.google.com/compute/docs/access/service-accounts#associating_a_service_account_to_an_instance",
    )
    aliases = ("CKV_GCP_31",)
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
    email  = "123456789012-compute@developer.gserviceaccount.com"
    scopes = ["cloud-platform"]
  }
}
"""
    good_example = """
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
    email  = "app@app-prod-7f3a.iam.gserviceaccount.com"
    scopes = ["cloud-platform"]
  }
}
"""
    full_scope = True
