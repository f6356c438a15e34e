from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.azure._support import AliasedCheck, docs, versioned_default
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue
from tfguard.rules.kit.values import Value


class AzureStorageNoPublicNestedItems(AliasedCheck):
    id = "azure-storage-no-public-nested-items"
    title = "Storage account lets containers be made public"
    severity = Severity.MEDIUM
    rationale = (
        "allow_nested_items_to_be_public = true lets any container of the account be switched "
        "to anonymous read access with one setting, by anyone allowed to configure containers "
        '(or by a copied snippet with container_access_type = "blob"). Blob data exposed this '
        "way is one of the most common causes of cloud data leaks. The azurerm provider "
        "defaults this argument to true in 3.x and 4.x, unlike Azure itself."
    )
    remediation = (
        "Set allow_nested_items_to_be_public = false (allow_blob_public_access in azurerm 2.x) "
        "on every account that is not meant to serve anonymous content; serve public files "
        "through a CDN or shared access signatures instead."
    )
    links = (
        docs("storage_account", "allow_nested_items_to_be_public"),
        "https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent",
    )
    aliases = ("CKV_AZURE_190", "CKV2_AZURE_47")
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
  name                            = "contosodata"
  resource_group_name             = "rg-data"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  allow_nested_items_to_be_public = false
}
"""
    resource_types = ("azurerm_storage_account",)
    attributes = ("allow_nested_items_to_be_public", "allow_blob_public_access")
    condition = Equals(False)
    message = "Storage account {address} lets its containers be made public ({attribute} = {value})"
    missing_message = (
        "Storage account {address} lets its containers be made public: "
        "allow_nested_items_to_be_public defaults to true"
    )
    fix = SetValue(
        "false",
        "Disallow public containers",
        "unsafe",
        consequence="a container that is public on purpose stops being readable anonymously",
    )
    fix_description = (
        "Sets allow_nested_items_to_be_public = false. Unsafe: a container that is "
        "public on purpose stops being readable anonymously."
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        # azurerm 3.x and 4.x: true; the 2.x allow_blob_public_access defaulted to false.
        return versioned_default(module, {3: True, 4: True})
