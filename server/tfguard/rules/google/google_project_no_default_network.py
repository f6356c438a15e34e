from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleProjectNoDefaultNetwork(Check):
    id = "google-project-no-default-network"
    title = "Project keeps the automatically created default network"
    severity = Severity.HIGH
    rationale = (
        "A new project gets a network named default, in auto mode, with the firewall rules "
        "default-allow-ssh and default-allow-rdp open to 0.0.0.0/0 and default-allow-internal "
        "open between every instance. Any VM or cluster later created without naming a "
        "network lands on it and is reachable by SSH and RDP from the internet. The "
        "provider's auto_create_network defaults to true."
    )
    remediation = (
        "Set auto_create_network = false on the google_project (the provider then deletes the "
        "default network right after creating the project) and create custom-mode networks "
        "with explicit firewall rules; an organization can enforce this with the "
        "compute.skipDefaultNetworkCreation constraint."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project#auto_create_network",
        "https://cloud.google.com/vpc/docs/vpc#default-network",
        "https://cloud.google.com/firewall/docs/firewalls#more_rules_default_vpc",
    )
    aliases = (
        "CKV_GCP_27",
        "AVD-GCP-0010",
        "GCP-0010",
        "google-iam-no-default-network",
    )
    bad_example = """
resource "google_project" "app" {
  name       = "app"
  project_id = "app-prod-7f3a"
  org_id     = "123456789012"
}
"""
    good_example = """
resource "google_project" "app" {
  name                = "app"
  project_id          = "app-prod-7f3a"
  org_id              = "123456789012"
  auto_create_network = false
}
"""
    resource_types = ("google_project",)
    attribute = "auto_create_network"
    condition = Equals(False)
    default = True  # google provider, all majors
    message = "Project {address} keeps the default network and its open firewall rules"
    missing_message = (
        "Project {address} leaves auto_create_network at its default (true): the default "
        "network with SSH and RDP open to the internet is created"
    )
    fix = SetValue(
        "false",
        "Do not create the default network",
        applicability="unsafe",
        consequence="the default network is deleted",
    )
    fix_description = (
        "Sets auto_create_network = false (not preferred: on a new project the default "
        "network is deleted, so anything that relied on it must name another network)."
    )
