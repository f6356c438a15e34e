from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._storage import RetentionCheck
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import AtLeast
from tfguard.rules.kit.declarative import SetValue


class AzureStorageBlobSoftDelete(RetentionCheck):
    id = "azure-storage-blob-soft-delete"
    title = "Storage account does not keep deleted blobs (soft delete off)"
    severity = Severity.MEDIUM
    rationale = (
        "Without blob soft delete, a blob that is deleted or overwritten (by mistake, by a "
        "faulty job, or by an attacker or ransomware holding a key) is gone immediately and "
        "cannot be restored. Soft delete keeps deleted blobs and snapshots recoverable for "
        "the retention period at the cost of storing them."
    )
    remediation = (
        "Add blob_properties { delete_retention_policy { days = 7 } } (1-365 days) to the "
        "storage account."
    )
    links = (
        docs("storage_account", "delete_retention_policy"),
        "https://learn.microsoft.com/en-us/azure/storage/blobs/soft-delete-blob-overview",
    )
    aliases = (
        "CKV2_AZURE_38",
        "AVD-AZU-0056",
        "AZU-0056",
        "azure-storage-blobs-soft-deletion-enabled",
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

  blob_properties {
    delete_retention_policy {
      days = 14
    }
  }
}

resource "azurerm_storage_account" "files" {
  name                     = "contosofiles"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Premium"
  account_kind             = "FileStorage"
  account_replication_type = "LRS"
}
"""
    resource_types = ("azurerm_storage_account",)
    attribute = "blob_properties.delete_retention_policy.days"
    condition = AtLeast(1)
    message = "Storage account {address} keeps deleted blobs for {value} days"
    missing_message = (
        "Storage account {address} does not keep deleted blobs: no "
        "blob_properties.delete_retention_policy"
    )
    fix = SetValue("7", "Keep deleted blobs for 7 days")
    fix_description = (
        "Adds blob_properties { delete_retention_policy { days = 7 } } (the blocks it lacks)."
    )
