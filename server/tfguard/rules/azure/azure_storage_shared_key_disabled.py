from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureStorageSharedKeyDisabled(Check):
    id = "azure-storage-shared-key-disabled"
    title = "Storage account accepts shared-key authorization"
    severity = Severity.MEDIUM
    rationale = (
        "An account key grants full control of every blob, queue, table and share in the "
        "account, never expires, and every shared access signature signed with it inherits "
        "that power. Keys end up in connection strings, app settings and scripts, and their "
        "use cannot be tied to an identity. With shared-key authorization off, every request "
        "must carry an Entra ID token scoped by role assignments."
    )
    remediation = (
        "Set shared_access_key_enabled = false, grant Storage Blob/Queue/Table Data roles to "
        "the identities that need access, and set storage_use_azuread = true in the azurerm "
        "provider so Terraform manages data-plane resources with Entra ID."
    )
    links = (
        docs("storage_account", "shared_access_key_enabled"),
        "https://learn.microsoft.com/en-us/azure/storage/common/shared-key-authorization-prevent",
    )
    aliases = ("CKV2_AZURE_40",)
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
  name                      = "contosodata"
  resource_group_name       = "rg-data"
  location                  = "westeurope"
  account_tier              = "Standard"
  account_replication_type  = "GRS"
  shared_access_key_enabled = false
}
"""
    resource_types = ("azurerm_storage_account",)
    attribute = "shared_access_key_enabled"
    condition = Equals(False)
    default = True  # azurerm 3.x and 4.x: true
    message = "Storage account {address} accepts its account keys ({attribute} = {value})"
    missing_message = (
        "Storage account {address} accepts its account keys: shared_access_key_enabled "
        "defaults to true"
    )
    fix = SetValue(
        "false",
        "Disable shared-key authorization",
        "unsafe",
        consequence="clients using keys, connection strings or key-signed SAS tokens stop working",
    )
    fix_description = (
        "Sets shared_access_key_enabled = false. Unsafe: clients using keys, "
        "connection strings or key-signed SAS tokens stop working."
    )
