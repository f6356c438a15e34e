from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._storage import RetentionCheck
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import AtLeast
from tfguard.rules.kit.declarative import SetValue


class AzureStorageContainerSoftDelete(RetentionCheck):
    id = "azure-storage-container-soft-delete"
    title = "Storage account does not keep deleted containers (container soft delete off)"
    severity = Severity.LOW
    rationale = (
        "Blob soft delete does not protect against deleting a whole container: the container "
        "and every blob in it disappear at once. Container soft delete keeps a deleted "
        "container restorable for the retention period, which covers a wrong terraform "
        "destroy, a script error or a malicious deletion."
    )
    remediation = (
        "Add blob_properties { container_delete_retention_policy { days = 7 } } (1-365 days) "
        "to the storage account."
    )
    links = (
        docs("storage_account", "container_delete_retention_policy"),
        "https://learn.microsoft.com/en-us/azure/storage/blobs/soft-delete-container-overview",
    )
    aliases = ()
    bad_example = """
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
    container_delete_retention_policy {
      days = 14
    }
  }
}
"""
    resource_types = ("azurerm_storage_account",)
    attribute = "blob_properties.container_delete_retention_policy.days"
    condition = AtLeast(1)
    message = "Storage account {address} keeps deleted containers for {value} days"
    missing_message = (
        "Storage account {address} does not keep deleted containers: no "
        "blob_properties.container_delete_retention_policy"
    )
    fix = SetValue("7", "Keep deleted containers for 7 days")
    fix_description = (
        "Adds blob_properties { container_delete_retention_policy { days = 7 } } (the blocks "
        "it lacks)."
    )
