from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue


class AzureComputePasswordAuthentication(AliasedCheck):
    id = "azure-compute-password-authentication"
    title = "Linux VM accepts password logins over SSH"
    severity = Severity.MEDIUM
    rationale = (
        "Password authentication makes SSH guessable: internet-wide brute force tries common "
        "and leaked passwords against every reachable VM, and a password is easier to share "
        "and reuse than a key. With it disabled, only the configured SSH keys (or Entra ID "
        "login) work."
    )
    remediation = (
        "Set disable_password_authentication = true (the default on "
        "azurerm_linux_virtual_machine) with an admin_ssh_key, and remove admin_password."
    )
    links = (
        docs("linux_virtual_machine", "disable_password_authentication"),
        "https://learn.microsoft.com/en-us/azure/virtual-machines/linux/create-ssh-keys-detailed",
    )
    aliases = (
        "CKV_AZURE_149",
        "CKV_AZURE_1",
        "AVD-AZU-0039",
        "AZU-0039",
        "azure-compute-disable-password-authentication",
    )
    bad_example = """
resource "azurerm_linux_virtual_machine" "jump" {
  name                            = "vm-jump"
  resource_group_name             = "rg-ops"
  location                        = "westeurope"
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  admin_password                  = var.jump_password
  disable_password_authentication = false
  network_interface_ids           = [azurerm_network_interface.jump.id]

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
}
"""
    good_example = """
resource "azurerm_linux_virtual_machine" "jump" {
  name                  = "vm-jump"
  resource_group_name   = "rg-ops"
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.jump.id]

  admin_ssh_key {
    username   = "azureuser"
    public_key = var.jump_ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
}
"""
    resource_types = (
        "azurerm_linux_virtual_machine",
        "azurerm_linux_virtual_machine_scale_set",
        "azurerm_virtual_machine",
    )
    # The legacy azurerm_virtual_machine writes it in os_profile_linux_config.
    attributes = (
        "disable_password_authentication",
        "os_profile_linux_config.disable_password_authentication",
    )
    condition = Equals(True)
    default = True  # azurerm 3.x and 4.x: true on the Linux VM and scale set resources
    message = "{address} accepts SSH password logins ({attribute} = {value})"
    fix = SetValue(
        "true",
        "Disable password authentication",
        "unsafe",
        consequence="the VM needs an admin_ssh_key",
    )
    fix_description = (
        "Sets disable_password_authentication = true. Unsafe: the VM needs an "
        "admin_ssh_key, and the change recreates it."
    )
