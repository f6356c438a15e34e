from __future__ import annotations

from typing import ClassVar

from tfguard.findings import Severity
from tfguard.rules.azure._network import PublicIngressRule
from tfguard.rules.azure._support import docs


class AzureNetworkNoPublicSsh(PublicIngressRule):
    id = "azure-network-no-public-ssh"
    title = "NSG rule allows SSH from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        "An inbound Allow rule from *, Internet, Any or 0.0.0.0/0 to port 22 exposes SSH on "
        "every VM behind the NSG to the internet, where it is scanned within minutes and "
        "brute-forced continuously; a weak password, a leaked key or an unpatched sshd is "
        "then enough to take the machine."
    )
    remediation = (
        "Restrict source_address_prefix(es) to known ranges (a VPN, an office, a jump host "
        "subnet), or remove the rule and reach VMs through Azure Bastion or just-in-time VM "
        "access."
    )
    links = (
        docs("network_security_rule"),
        docs("network_security_group"),
        "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
        "https://learn.microsoft.com/en-us/azure/bastion/bastion-overview",
    )
    aliases = (
        "CKV_AZURE_10",
        "AVD-AZU-0050",
        "AZU-0050",
        "azure-network-ssh-blocked-from-internet",
    )
    bad_example = """
resource "azurerm_network_security_group" "web" {
  name                = "nsg-web"
  location            = "westeurope"
  resource_group_name = "rg-web"

  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
"""
    good_example = """
resource "azurerm_network_security_group" "web" {
  name                = "nsg-web"
  location            = "westeurope"
  resource_group_name = "rg-web"

  security_rule {
    name                       = "ssh-from-vpn"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "10.10.0.0/24"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "deny-ssh"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}
"""
    fix_description = (
        "Replaces the internet source with a new variable <nsg>_allowed_source(s), declared "
        "in variables.tf without a default so that a plan asks who may connect. Unsafe: "
        "it closes the port to everyone else. Not offered when the source comes "
        "from a variable or a local."
    )
    wanted: ClassVar[dict[int, str]] = {22: "SSH"}
