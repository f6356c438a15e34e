from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue


class AzureStorageHttpsOnly(AliasedCheck):
    id = "azure-storage-https-only"
    title = "Storage account accepts plain HTTP requests"
    severity = Severity.HIGH
    rationale = (
        "With secure transfer turned off, a storage account answers blob, queue, table and "
        "file requests over plain HTTP: shared access signatures, account keys in "
        "Authorization headers and the data itself cross the network unencrypted and can be "
        "read or altered by anyone on the path."
    )
    remediation = (
        "Set https_traffic_only_enabled = true (enable_https_traffic_only in azurerm 3.x), or "
        "remove the argument: it defaults to true."
    )
    links = (
        docs("storage_account", "https_traffic_only_enabled"),
        "https://learn.microsoft.com/en-us/azure/storage/common/storage-require-secure-transfer",
    )
    aliases = ("CKV_AZURE_3", "AVD-AZU-0008", "AZU-0008", "azure-storage-enforce-https")
    bad_example = """
resource "azurerm_storage_account" "data" {
  name                       = "contosodata"
  resource_group_name        = "rg-data"
  location                   = "westeurope"
  account_tier               = "Standard"
  account_replication_type   = "GRS"
  https_traffic_only_enabled = false
}
"""
    good_example = """
resource "azurerm_storage_account" "data" {
  name                     = "contosodata"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

resource "azurerm_storage_account" "legacy" {
  name                      = "contosolegacy"
  resource_group_name       = "rg-data"
  location                  = "westeurope"
  account_tier              = "Standard"
  account_replication_type  = "LRS"
  enable_https_traffic_only = true
}
"""
    resource_types = ("azurerm_storage_account",)
    attributes = ("https_traffic_only_enabled", "enable_https_traffic_only")
    condition = Equals(True)
    default = True  # azurerm 3.x and 4.x: true
    message = "Storage account {address} accepts plain HTTP ({attribute} = {value})"
    fix = SetValue(
        "true",
        "Require HTTPS (secure transfer)",
        "unsafe",
        consequence="clients that use plain HTTP are refused",
    )
