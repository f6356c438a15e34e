from __future__ import annotations

from typing import ClassVar

from tfguard.findings import Severity
from tfguard.rules.azure._network import PublicIngressRule
from tfguard.rules.azure._support import docs


class AzureNetworkNoPublicRdp(PublicIngressRule):
    id = "azure-network-no-public-rdp"
    title = "NSG rule allows RDP from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        "Remote Desktop exposed to the internet (an inbound Allow rule from *, Internet, Any "
        "or 0.0.0.0/0 to port 3389) is one of the most common ransomware entry points: it is "
        "brute-forced around the clock and has had pre-authentication vulnerabilities such "
        "as BlueKeep."
    )
    remediation = (
        "Restrict source_address_prefix(es) to known ranges, or remove the rule and connect "
        "through Azure Bastion or just-in-time VM access."
    )
    links = (
        docs("network_security_rule"),
        docs("network_security_group"),
        "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
        "https://learn.microsoft.com/en-us/azure/defender-for-cloud/just-in-time-access-usage",
    )
    aliases = (
        "CKV_AZURE_9",
        "AVD-AZU-0048",
        "AZU-0048",
        "azure-network-disable-rdp-from-internet",
    )
    bad_example = """
resource "azurerm_network_security_rule" "rdp" {
  name                        = "rdp"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["443", "3389"]
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-app"
  network_security_group_name = "nsg-app"
}
"""
    good_example = """
resource "azurerm_network_security_rule" "rdp" {
  name                        = "rdp-from-bastion"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefixes     = ["10.0.250.0/26"]
  destination_address_prefix  = "*"
  resource_group_name         = "rg-app"
  network_security_group_name = "nsg-app"
}
"""
    fix_description = (
        "Replaces the internet source with a new variable <nsg>_allowed_source(s), declared "
        "in variables.tf without a default so that a plan asks who may connect. Unsafe: "
        "it closes the port to everyone else. Not offered when the source comes "
        "from a variable or a local."
    )
    wanted: ClassVar[dict[int, str]] = {3389: "RDP"}
    protocols = frozenset({"tcp", "udp"})  # RDP 8+ also streams over UDP 3389
