from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._network import PublicIngressRule
from tfguard.rules.azure._support import docs


class AzureNetworkNoPublicAllPorts(PublicIngressRule):
    id = "azure-network-no-public-all-ports"
    title = "NSG rule allows every port from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        "An inbound Allow rule from *, Internet, Any or 0.0.0.0/0 on every port (or every "
        "protocol) turns the NSG off for internet traffic: every service listening on the "
        "VMs behind it, including management agents, databases and debug ports nobody meant "
        "to publish, is reachable by anyone."
    )
    remediation = (
        "Allow only the ports the workload serves (for example 443), from the narrowest "
        "sources possible; put public web traffic behind an Application Gateway or Front "
        "Door with a WAF."
    )
    links = (
        docs("network_security_rule"),
        docs("network_security_group"),
        "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
    )
    aliases = ("AVD-AZU-0047", "AZU-0047", "azure-network-no-public-ingress")
    bad_example = """
resource "azurerm_network_security_group" "app" {
  name                = "nsg-app"
  location            = "westeurope"
  resource_group_name = "rg-app"

  security_rule {
    name                       = "any"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "0.0.0.0/0"
    destination_address_prefix = "*"
  }
}
"""
    good_example = """
resource "azurerm_network_security_group" "app" {
  name                = "nsg-app"
  location            = "westeurope"
  resource_group_name = "rg-app"

  security_rule {
    name                       = "https"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "vnet"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "*"
  }
}
"""
    fix_description = (
        "Replaces the internet source with a new variable <nsg>_allowed_source(s), declared "
        "in variables.tf without a default so that a plan asks who may connect. Unsafe: "
        "it closes the ports to everyone else. Not offered when the source comes "
        "from a variable or a local."
    )
    all_ports_only = True
