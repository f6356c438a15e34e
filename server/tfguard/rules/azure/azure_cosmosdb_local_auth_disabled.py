from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureCosmosdbLocalAuthDisabled(Check):
    id = "azure-cosmosdb-local-auth-disabled"
    title = "Cosmos DB account accepts its primary keys"
    severity = Severity.MEDIUM
    rationale = (
        "Cosmos DB primary and secondary keys grant full access to every document, never "
        "expire and cannot be attributed to an identity; they end up in app settings, "
        "connection strings and developer machines. With local authentication disabled, "
        "only Entra ID identities with data-plane roles can use the account."
    )
    remediation = (
        "Grant applications Cosmos DB built-in data roles through managed identities, then "
        "set local_authentication_disabled = true."
    )
    links = (
        docs("cosmosdb_account", "local_authentication_disabled"),
        "https://learn.microsoft.com/en-us/azure/cosmos-db/how-to-setup-rbac#disable-local-auth",
    )
    aliases = ("CKV_AZURE_140",)
    bad_example = """
resource "azurerm_cosmosdb_account" "main" {
  name                = "cosmos-contoso"
  location            = "westeurope"
  resource_group_name = "rg-data"
  offer_type          = "Standard"
  kind                = "GlobalDocumentDB"
  public_network_access_enabled      = false
  access_key_metadata_writes_enabled = false

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = "westeurope"
    failover_priority = 0
  }
}
"""
    good_example = """
resource "azurerm_cosmosdb_account" "main" {
  name                = "cosmos-contoso"
  location            = "westeurope"
  resource_group_name = "rg-data"
  offer_type          = "Standard"
  kind                = "GlobalDocumentDB"
  public_network_access_enabled      = false
  access_key_metadata_writes_enabled = false
  local_authentication_disabled      = true

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = "westeurope"
    failover_priority = 0
  }
}
"""
    resource_types = ("azurerm_cosmosdb_account",)
    attribute = "local_authentication_disabled"
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    message = "Cosmos DB account {address} accepts its keys ({attribute} = {value})"
    missing_message = (
        "Cosmos DB account {address} accepts its primary keys: local_authentication_disabled "
        "defaults to false"
    )
    fix = SetValue(
        "true",
        "Disable key-based authentication",
        "unsafe",
        consequence="clients using keys or connection strings stop working",
    )
    fix_description = (
        "Sets local_authentication_disabled = true. Unsafe: clients using keys or "
        "connection strings stop working."
    )
