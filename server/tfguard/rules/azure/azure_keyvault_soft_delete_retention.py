from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import AtLeast
from tfguard.rules.kit.declarative import Check, SetValue


class AzureKeyvaultSoftDeleteRetention(Check):
    id = "azure-keyvault-soft-delete-retention"
    title = "Key Vault keeps deleted objects for less than 90 days"
    severity = Severity.LOW
    rationale = (
        "Deleted keys, secrets and certificates can only be recovered during the vault's "
        "soft-delete retention period. A deletion noticed after a week (a removed secret "
        "that only a monthly job reads, a key deleted during an incident) is unrecoverable "
        "with a 7-day period; Azure's default and maximum is 90 days."
    )
    remediation = "Remove soft_delete_retention_days (it defaults to 90) or set it to 90."
    links = (
        docs("key_vault", "soft_delete_retention_days"),
        "https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview",
    )
    aliases = ()
    bad_example = """
resource "azurerm_key_vault" "main" {
  name                = "kv-contoso-prod"
  location            = "westeurope"
  resource_group_name = "rg-security"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
  purge_protection_enabled   = true
  soft_delete_retention_days = 7
}
"""
    good_example = """
resource "azurerm_key_vault" "main" {
  name                = "kv-contoso-prod"
  location            = "westeurope"
  resource_group_name = "rg-security"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
  purge_protection_enabled = true
}
"""
    resource_types = ("azurerm_key_vault",)
    attribute = "soft_delete_retention_days"
    condition = AtLeast(90)
    default = 90  # azurerm 3.x and 4.x: 90
    message = "Key Vault {address} keeps deleted objects {value} days: {attribute} {requirement}"
    fix = SetValue(
        "90",
        "Keep deleted objects for 90 days",
        "unsafe",
        consequence="Azure sets the retention only when a vault is created",
    )
