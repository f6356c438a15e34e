from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureCosmosdbKeyMetadataWrites(Check):
    id = "azure-cosmosdb-key-metadata-writes"
    title = "Cosmos DB account keys can change databases and containers"
    severity = Severity.MEDIUM
    rationale = (
        "By default anyone holding an account key can create, change and delete databases, "
        "containers and throughput settings, not just read and write documents. A key leaked "
        "from an application can then drop the data store. Disabling key-based metadata "
        "writes leaves those changes to Azure Resource Manager, with RBAC and activity logs."
    )
    remediation = (
        "Set access_key_metadata_writes_enabled = false and manage databases and containers "
        "through Terraform or ARM."
    )
    links = (
        docs("cosmosdb_account", "access_key_metadata_writes_enabled"),
        "https://learn.microsoft.com/en-us/azure/cosmos-db/role-based-access-control#prevent-sdk-changes",
    )
    aliases = ("CKV_AZURE_132",)
    bad_example = """
resource "azurerm_cosmosdb_account" "main" {
  name                = "cosmos-contoso"
  location            = "westeurope"
  resource_group_name = "rg-data"
  offer_type          = "Standard"
  kind                = "GlobalDocumentDB"
  public_network_access_enabled = false

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
    attribute = "access_key_metadata_writes_enabled"
    condition = Equals(False)
    default = True  # azurerm 3.x and 4.x: true
    message = (
        "Cosmos DB account {address} lets account keys change its schema ({attribute} = {value})"
    )
    missing_message = (
        "Cosmos DB account {address} lets account keys change databases and containers: "
        "access_key_metadata_writes_enabled defaults to true"
    )
    fix = SetValue(
        "false",
        "Disable metadata writes with account keys",
        "unsafe",
        consequence="applications that create containers with the SDK and a key stop working",
    )
    fix_description = (
        "Sets access_key_metadata_writes_enabled = false. Unsafe: applications that "
        "create containers with the SDK and a key stop working."
    )
