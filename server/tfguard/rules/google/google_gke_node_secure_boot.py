from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._gke import NodeCheck
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue


class GoogleGkeNodeSecureBoot(NodeCheck):
    id = "google-gke-node-secure-boot"
    title = "GKE node pool does not enable Secure Boot"
    severity = Severity.MEDIUM
    rationale = (
        "Secure Boot makes a shielded node refuse boot loaders and kernel modules that are "
        "not signed, so a rootkit planted by a container escape does not survive a reboot "
        "and cannot hide below the operating system. It is off unless node_config."
        "shielded_instance_config.enable_secure_boot = true (the default is false); it "
        "cannot be used with unsigned third-party kernel modules."
    )
    remediation = (
        "Set shielded_instance_config { enable_secure_boot = true } in the node pool's "
        "node_config (the pool is re-created)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#enable_secure_boot",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/shielded-gke-nodes#secure_boot",
    )
    aliases = ("CKV_GCP_68",)
    bad_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@app.iam.gserviceaccount.com"
  }
}
"""
    good_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@app.iam.gserviceaccount.com"

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }
  }
}
"""
    attribute = "node_config.shielded_instance_config.enable_secure_boot"
    condition = Equals(True)
    default = False  # google provider, all majors
    message = "{pool} disables Secure Boot"
    missing_message = "{pool} does not enable Secure Boot"
    fix = SetValue(
        "true",
        "Enable Secure Boot",
        applicability="unsafe",
        consequence="the node pool is re-created",
    )
    fix_description = (
        "Sets shielded_instance_config.enable_secure_boot = true in node_config (not "
        "preferred: the node pool is re-created)."
    )
