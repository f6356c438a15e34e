from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._purpose import ORDINARY_SUBNETWORK
from tfguard.rules.kit.conditions import Equals, Not, Present
from tfguard.rules.kit.declarative import Check, InsertBlock, When


class GoogleComputeSubnetworkFlowLogs(Check):
    id = "google-compute-subnetwork-flow-logs"
    title = "Subnetwork does not record VPC flow logs"
    severity = Severity.MEDIUM
    rationale = (
        "VPC flow logs record the connections to and from every VM interface, GKE node and "
        "pod of the subnetwork. Without them there is no record of which hosts talked to "
        "which, so an exfiltration, a lateral movement or a compromised workload calling home "
        "cannot be investigated after the fact, and network anomaly detection has nothing "
        "to read. Flow logs are off until a log_config block is written."
    )
    remediation = (
        "Add a log_config block to the google_compute_subnetwork (aggregation_interval, "
        "flow_sampling and metadata tune the volume and cost)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_subnetwork#log_config",
        "https://cloud.google.com/vpc/docs/flow-logs",
    )
    aliases = (
        "CKV_GCP_26",
        "AVD-GCP-0029",
        "GCP-0029",
        "google-compute-enable-vpc-flow-logs",
        "AVD-GCP-0076",
        "GCP-0076",
        "google-compute-google-compute-subnetwork-logging",
    )
    bad_example = """
resource "google_compute_subnetwork" "app" {
  name          = "app"
  ip_cidr_range = "10.10.0.0/20"
  region        = "europe-west1"
  network       = "main"
}
"""
    good_example = """
resource "google_compute_subnetwork" "app" {
  name          = "app"
  ip_cidr_range = "10.10.0.0/20"
  region        = "europe-west1"
  network       = "main"

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_subnetwork" "proxy_only" {
  name          = "proxy-only"
  ip_cidr_range = "10.129.0.0/23"
  region        = "europe-west1"
  network       = "main"
  purpose       = "REGIONAL_MANAGED_PROXY"
  role          = "ACTIVE"
}
"""
    resource_types = ("google_compute_subnetwork",)
    attribute = "log_config"
    condition = Present()
    # Proxy-only and Private Service Connect subnetworks have no flow logs; the pre-4.0
    # argument enable_flow_logs = true still counts.
    only_if = (
        ORDINARY_SUBNETWORK,
        When("enable_flow_logs", Not(Equals(True)), False),
    )
    message = "Subnetwork {address} has no log_config: VPC flow logs are off"
    fix = InsertBlock(
        """
log_config {
  aggregation_interval = "INTERVAL_5_SEC"
  flow_sampling        = 0.5
  metadata             = "INCLUDE_ALL_METADATA"
}
""",
        "Enable VPC flow logs (log_config)",
    )
    fix_description = (
        "Adds a log_config block (5-second aggregation, 50% sampling, all metadata); tune "
        "flow_sampling to the volume you can afford."
    )
