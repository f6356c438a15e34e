from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import Check, SetValue


class AzureStorageMinimumTls(Check):
    id = "azure-storage-minimum-tls"
    title = "Storage account accepts TLS versions older than 1.2"
    severity = Severity.HIGH
    rationale = (
        "TLS 1.0 and 1.1 have known weaknesses (BEAST, POODLE-style downgrade attacks, SHA-1 "
        "based handshakes) and are no longer accepted by PCI DSS. A storage account whose "
        "minimum is below 1.2 lets old or misconfigured clients connect with them, and Azure "
        "is retiring both versions across its services."
    )
    remediation = 'Set min_tls_version = "TLS1_2" (the default) and update old clients.'
    links = (
        docs("storage_account", "min_tls_version"),
        "https://learn.microsoft.com/en-us/azure/storage/common/transport-layer-security-configure-minimum-version",
    )
    aliases = ("CKV_AZURE_44", "AVD-AZU-0011", "AZU-0011", "azure-storage-use-secure-tls-policy")
    bad_example = """
resource "azurerm_storage_account" "data" {
  name                     = "contosodata"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
  min_tls_version          = "TLS1_0"
}
"""
    good_example = """
resource "azurerm_storage_account" "data" {
  name                     = "contosodata"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
  min_tls_version          = "TLS1_2"
}
"""
    resource_types = ("azurerm_storage_account",)
    attribute = "min_tls_version"
    condition = OneOf("TLS1_2", "TLS1_3")
    default = "TLS1_2"  # azurerm 3.x and 4.x: TLS1_2
    message = "Storage account {address} accepts {value}: {attribute} {requirement}"
    fix = SetValue(
        '"TLS1_2"',
        "Require TLS 1.2",
        "unsafe",
        consequence="clients limited to TLS 1.0 or 1.1 can no longer connect",
    )
