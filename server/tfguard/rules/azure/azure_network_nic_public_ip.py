from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Absent
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.paths import Hit, lookup
from tfguard.rules.kit.values import Value


class AzureNetworkNicPublicIp(Check):
    id = "azure-network-nic-public-ip"
    title = "Network interface has a public IP address"
    severity = Severity.LOW
    rationale = (
        "A public IP on a VM's network interface makes the VM directly addressable from the "
        "internet: its NSG becomes the only barrier, and one permissive rule (or an NSG left "
        "off the NIC and subnet) exposes it. Most VMs only need outbound access (a NAT "
        "gateway) and reach inbound users through a load balancer or gateway."
    )
    remediation = (
        "Remove public_ip_address_id from the ip_configuration; publish services through a "
        "load balancer, Application Gateway or Front Door, administer through Azure Bastion, "
        "and use a NAT gateway for outbound traffic."
    )
    links = (
        docs("network_interface", "public_ip_address_id"),
        "https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-addresses",
    )
    aliases = (
        "CKV_AZURE_119",
        "AVD-AZU-0076",
        "AZU-0076",
        "azure-network-network-interface-public-ip",
    )
    bad_example = """
resource "azurerm_network_interface" "vm" {
  name                = "nic-vm"
  location            = "westeurope"
  resource_group_name = "rg-vm"

  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.app.id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = azurerm_public_ip.vm.id
  }
}
"""
    good_example = """
resource "azurerm_network_interface" "vm" {
  name                = "nic-vm"
  location            = "westeurope"
  resource_group_name = "rg-vm"

  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.app.id
    private_ip_address_allocation = "Dynamic"
  }
}
"""
    resource_types = ("azurerm_network_interface",)
    attribute = "ip_configuration.public_ip_address_id"
    condition = Absent()
    message = "Network interface {address} has a public IP address ({attribute})"
    fix_description = (
        "No automatic fix: removing the address cuts off whoever reaches the VM through it."
    )

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        # An address written as a reference is computed at apply: it is still a public IP.
        for hit in lookup(module, entity, self.attribute):
            if hit.present:
                yield hit, hit.value
