from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import InlineOrRelation, docs
from tfguard.rules.kit.conditions import Present
from tfguard.rules.kit.declarative import When


class AzureStorageCustomerManagedKey(InlineOrRelation):
    id = "azure-storage-customer-managed-key"
    title = "Storage account is encrypted with a Microsoft-managed key"
    severity = Severity.LOW
    rationale = (
        "With the default Microsoft-managed key, the key's lifecycle, rotation and access "
        "are outside your control: you cannot revoke Azure's ability to decrypt the data, "
        "and key use does not show up in your Key Vault logs. A customer-managed key in Key "
        "Vault lets you rotate it, audit its use and make the data unreadable by disabling "
        "it, which many compliance regimes require for sensitive data."
    )
    remediation = (
        "Add a customer_managed_key block (with a user-assigned identity) or an "
        "azurerm_storage_account_customer_managed_key resource pointing at a Key Vault key "
        "with purge protection."
    )
    links = (
        docs("storage_account_customer_managed_key"),
        "https://learn.microsoft.com/en-us/azure/storage/common/customer-managed-keys-overview",
    )
    aliases = (
        "CKV2_AZURE_1",
        "AVD-AZU-0060",
        "AZU-0060",
        "azure-storage-blob-container-cmk-encrypted",
    )
    bad_example = """
resource "azurerm_storage_account" "data" {
  name                     = "contosodata"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}
"""
    good_example = """
resource "azurerm_storage_account" "data" {
  name                     = "contosodata"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_storage_account_customer_managed_key" "data" {
  storage_account_id = azurerm_storage_account.data.id
  key_vault_id       = azurerm_key_vault.main.id
  key_name           = azurerm_key_vault_key.storage.name
}
"""
    resource_types = ("azurerm_storage_account",)
    companion_types = ("azurerm_storage_account_customer_managed_key",)
    link = "storage_account_id"
    inline_when = (When("customer_managed_key", Present()),)
    message = (
        "Storage account {address} has no customer-managed key (no customer_managed_key "
        "block or azurerm_storage_account_customer_managed_key)"
    )
    fix_description = "No automatic fix: the key, its vault and an identity must exist first."
