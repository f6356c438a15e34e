from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool


class AzureCosmosdbPublicNetworkAccess(Check):
    id = "azure-cosmosdb-public-network-access"
    title = "Cosmos DB account accepts requests from any network"
    severity = Severity.MEDIUM
    rationale = (
        "A Cosmos DB account with public network access, no IP range filter and no virtual "
        "network filter answers every address on the internet: its primary keys (which "
        "grant full read and write access and leak through connection strings) work from "
        "anywhere."
    )
    remediation = (
        "Set public_network_access_enabled = false and use private endpoints, or restrict "
        "access with ip_range_filter and is_virtual_network_filter_enabled = true with "
        "virtual_network_rule blocks."
    )
    links = (
        docs("cosmosdb_account", "public_network_access_enabled"),
        "https://learn.microsoft.com/en-us/azure/cosmos-db/how-to-configure-firewall",
    )
    aliases = ("CKV_AZURE_101", "CKV_AZURE_99")
    bad_example = """
resource "azurerm_cosmosdb_account" "main" {
  name                = "cosmos-contoso"
  location            = "westeurope"
  resource_group_name = "rg-data"
  offer_type          = "Standard"
  kind                = "GlobalDocumentDB"

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
  public_network_access_enabled = false

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = "westeurope"
    failover_priority = 0
  }
}

resource "azurerm_cosmosdb_account" "filtered" {
  name                = "cosmos-contoso-filtered"
  location            = "westeurope"
  resource_group_name = "rg-data"
  offer_type          = "Standard"
  ip_range_filter     = ["203.0.113.0/24"]

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
    attribute = "public_network_access_enabled"
    condition = Equals(False)
    default = True  # azurerm 3.x and 4.x: true
    message = (
        "Cosmos DB account {address} accepts requests from any network ({attribute} = {value})"
    )
    missing_message = (
        "Cosmos DB account {address} accepts requests from any network: public access is on "
        "and no IP or virtual network filter is set"
    )
    fix = SetValue(
        "false",
        "Disable public network access",
        "unsafe",
        consequence="clients outside private endpoints lose access",
    )
    fix_description = (
        "Sets public_network_access_enabled = false. Unsafe: clients outside private "
        "endpoints lose access."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        # An IP range filter or a virtual network filter restricts the public endpoint.
        out = []
        for e in live(module, *self.resource_types):
            ranges = lookup(module, e, "ip_range_filter")[0]
            vnet = as_bool(module.attr_value(e, "is_virtual_network_filter_enabled", False))
            if ranges.present or vnet is not False:
                continue
            out.append(e)
        return out
