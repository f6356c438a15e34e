from __future__ import annotations

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Module
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleComputeRouterNatLogging(Check):
    id = "google-compute-router-nat-logging"
    title = "Cloud NAT gateway does not log its translations"
    severity = Severity.LOW
    rationale = (
        "Cloud NAT logs record which internal VM or pod opened which connection to which "
        "internet address, and which connections were dropped for lack of ports. Without "
        "them, outbound traffic of private workloads (the path malware uses to call home or "
        "exfiltrate) leaves no record tying it to an instance. Logging is off by default."
    )
    remediation = (
        'Add log_config { enable = true, filter = "ERRORS_ONLY" } (or "ALL" for '
        "every translation) to the google_compute_router_nat."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_router_nat#log_config",
        "https://cloud.google.com/nat/docs/monitoring",
    )
    bad_example = """
resource "google_compute_router_nat" "nat" {
  name                               = "nat"
  router                             = "router"
  region                             = "europe-west1"
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}
"""
    good_example = """
resource "google_compute_router_nat" "nat" {
  name                               = "nat"
  router                             = "router"
  region                             = "europe-west1"
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}
"""
    resource_types = ("google_compute_router_nat",)
    attribute = "log_config.enable"
    condition = Equals(True)
    default = False  # google provider, all majors: no log_config, no logs
    message = "Cloud NAT {address} disables logging"
    missing_message = "Cloud NAT {address} does not log its translations"
    fix = SetValue("true", "Enable Cloud NAT logging")
    fix_description = (
        "Sets log_config.enable = true, or adds log_config { enable = true, filter = "
        '"ERRORS_ONLY" } when the block is missing (filter is required).'
    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if not finding.data.get("missing"):
            return super().fixes(finding, module)
        entity = entity_for(module, finding)
        if entity is None or entity.block.blocks_of("log_config"):
            return super().fixes(finding, module)
        text = 'log_config {\n  enable = true\n  filter = "ERRORS_ONLY"\n}'
        edit = Editor(module).insert_block(entity, entity.block, text)
        return [Fix("Enable Cloud NAT logging (errors only)", (edit,), "safe")]
