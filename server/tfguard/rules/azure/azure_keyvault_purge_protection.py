from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureKeyvaultPurgeProtection(Check):
    id = "azure-keyvault-purge-protection"
    title = "Key Vault can be purged before its retention period ends"
    severity = Severity.MEDIUM
    rationale = (
        "Soft delete keeps a deleted vault and its keys, secrets and certificates "
        "recoverable, but without purge protection anyone with purge rights (an attacker "
        "holding an admin identity, a faulty script) can purge them at once. Every resource "
        "encrypted with a purged key (storage accounts, disks, SQL TDE) becomes permanently "
        "unreadable; customer-managed keys require purge protection for this reason."
    )
    remediation = (
        "Set purge_protection_enabled = true. It cannot be turned off again, and a purged-"
        "protected vault's name stays reserved until its retention period ends."
    )
    links = (
        docs("key_vault", "purge_protection_enabled"),
        "https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview",
    )
    aliases = (
        "CKV_AZURE_110",
        "CKV_AZURE_42",
        "AVD-AZU-0016",
        "AZU-0016",
        "azure-keyvault-no-purge",
    )
    bad_example = """
resource "azurerm_key_vault" "main" {
  name                = "kv-contoso-prod"
  location            = "westeurope"
  resource_group_name = "rg-security"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
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
    attribute = "purge_protection_enabled"
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    message = "Key Vault {address} can be purged at once ({attribute} = {value})"
    missing_message = (
        "Key Vault {address} can be purged at once: purge_protection_enabled defaults to false"
    )
    fix = SetValue(
        "true",
        "Enable purge protection",
        "display",
        consequence="irreversible: the vault can never again be purged before its retention ends",
    )
    fix_description = (
        "Sets purge_protection_enabled = true. Display only (never applied by tfguard fix or "
        "fix-all, even with --unsafe-fixes; the editor shows it to apply by hand): it cannot be "
        "undone, and the vault can then no longer be deleted and recreated under the same "
        "name at will."
    )
