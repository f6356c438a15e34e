from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import NotOneOf
from tfguard.rules.kit.declarative import Relation, When

# Subnets Azure manages itself, where an NSG is not supported or not wanted.
SERVICE_SUBNETS = (
    "GatewaySubnet",
    "AzureFirewallSubnet",
    "AzureFirewallManagementSubnet",
    "RouteServerSubnet",
)


class AzureNetworkSubnetNsg(Relation):
    id = "azure-network-subnet-nsg"
    title = "Subnet has no network security group"
    severity = Severity.LOW
    rationale = (
        "A subnet without an NSG filters nothing at the subnet boundary: every VM, scale set "
        "or private endpoint placed in it relies on its own NIC's NSG, and one NIC created "
        "without one (or with a public IP) is open to whatever can route to it. An NSG per "
        "subnet gives a default-deny baseline that new resources inherit."
    )
    remediation = (
        "Create an azurerm_network_security_group and attach it with an "
        "azurerm_subnet_network_security_group_association (subnet_id = the subnet's id)."
    )
    links = (
        docs("subnet_network_security_group_association"),
        "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
    )
    aliases = ("CKV2_AZURE_31",)
    bad_example = """
resource "azurerm_subnet" "app" {
  name                 = "snet-app"
  resource_group_name  = "rg-net"
  virtual_network_name = "vnet-main"
  address_prefixes     = ["10.0.1.0/24"]
}
"""
    good_example = """
resource "azurerm_subnet" "app" {
  name                 = "snet-app"
  resource_group_name  = "rg-net"
  virtual_network_name = "vnet-main"
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "app" {
  subnet_id                 = azurerm_subnet.app.id
  network_security_group_id = azurerm_network_security_group.app.id
}

resource "azurerm_subnet" "gateway" {
  name                 = "GatewaySubnet"
  resource_group_name  = "rg-net"
  virtual_network_name = "vnet-main"
  address_prefixes     = ["10.0.255.0/27"]
}
"""
    resource_types = ("azurerm_subnet",)
    companion_types = ("azurerm_subnet_network_security_group_association",)
    link = "subnet_id"
    only_if = (When("name", NotOneOf(*SERVICE_SUBNETS)),)
    message = "Subnet {address} has no network security group associated"
    fix_description = (
        "No automatic fix: the NSG's rules must match what the subnet's resources serve."
    )
