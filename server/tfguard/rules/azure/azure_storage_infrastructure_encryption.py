from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals, NotOneOf
from tfguard.rules.kit.declarative import Check, SetValue, When


class AzureStorageInfrastructureEncryption(Check):
    id = "azure-storage-infrastructure-encryption"
    title = "Storage account does not double-encrypt data at rest"
    severity = Severity.LOW
    rationale = (
        "Azure encrypts stored data once with AES-256 at the service level. Infrastructure "
        "encryption adds a second layer with a different algorithm mode and key, so data "
        "stays protected if one layer's key or implementation is compromised. Regulated "
        "workloads often require it, and it can only be chosen when the account is created."
    )
    remediation = (
        "Set infrastructure_encryption_enabled = true when creating the account (it cannot "
        "be turned on later without recreating the account)."
    )
    links = (
        docs("storage_account", "infrastructure_encryption_enabled"),
        "https://learn.microsoft.com/en-us/azure/storage/common/infrastructure-encryption-enable",
    )
    aliases = (
        "AVD-AZU-0061",
        "AZU-0061",
        "azure-storage-infrastructure-encryption-enabled",
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
  name                              = "contosodata"
  resource_group_name               = "rg-data"
  location                          = "westeurope"
  account_tier                      = "Standard"
  account_replication_type          = "GRS"
  infrastructure_encryption_enabled = true
}
"""
    resource_types = ("azurerm_storage_account",)
    attribute = "infrastructure_encryption_enabled"
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    # Only StorageV2 (and premium block blob / file) accounts support it.
    only_if = (When("account_kind", NotOneOf("Storage", "BlobStorage"), "StorageV2"),)
    message = "Storage account {address} encrypts data at rest once ({attribute} = {value})"
    missing_message = (
        "Storage account {address} encrypts data at rest once: "
        "infrastructure_encryption_enabled defaults to false"
    )
    fix = SetValue(
        "true",
        "Enable infrastructure encryption",
        "unsafe",
        consequence="on an existing account the change replaces the account",
    )
    fix_description = (
        "Sets infrastructure_encryption_enabled = true. Unsafe: on an existing account "
        "the change replaces the account (and its data)."
    )
