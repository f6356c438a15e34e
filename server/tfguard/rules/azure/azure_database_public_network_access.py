from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.azure._database import FLEXIBLE_SERVERS, SINGLE_SERVERS
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.values import UNKNOWN, Value


class AzureDatabasePublicNetworkAccess(Check):
    id = "azure-database-public-network-access"
    title = "Database server accepts connections on its public endpoint"
    severity = Severity.MEDIUM
    rationale = (
        "With public network access enabled, the server's endpoint answers on the internet "
        "and only its firewall rules and the login protect it; one over-broad firewall rule "
        "(or the allow-Azure-services switch) exposes it. Disabling public access leaves "
        "only private endpoints and VNet integration as ways in."
    )
    remediation = (
        "Set public_network_access_enabled = false and connect through a private endpoint "
        "(or VNet integration for flexible servers)."
    )
    links = (
        docs("mssql_server", "public_network_access_enabled"),
        docs("postgresql_flexible_server", "public_network_access_enabled"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/connectivity-settings",
    )
    aliases = (
        "CKV_AZURE_113",
        "CKV_AZURE_68",
        "CKV_AZURE_53",
        "CKV_AZURE_48",
        "AVD-AZU-0022",
        "AZU-0022",
        "azure-database-no-public-access",
    )
    bad_example = """
resource "azurerm_mssql_server" "main" {
  name                = "sql-contoso-prod"
  resource_group_name = "rg-data"
  location            = "westeurope"
  version             = "12.0"
  minimum_tls_version = "1.2"

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = var.sql_admin_group_id
    azuread_authentication_only = true
  }
}
"""
    good_example = """
resource "azurerm_mssql_server" "main" {
  name                          = "sql-contoso-prod"
  resource_group_name           = "rg-data"
  location                      = "westeurope"
  version                       = "12.0"
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = var.sql_admin_group_id
    azuread_authentication_only = true
  }
}
"""
    resource_types = ("azurerm_mssql_server", *SINGLE_SERVERS, *FLEXIBLE_SERVERS)
    attribute = "public_network_access_enabled"
    condition = Equals(False)
    message = "{address} accepts connections on its public endpoint ({attribute} = {value})"
    missing_message = (
        "{address} accepts connections on its public endpoint: public_network_access_enabled "
        "defaults to true"
    )
    fix = SetValue(
        "false",
        "Disable public network access",
        "unsafe",
        consequence="clients connecting over the internet lose access",
    )
    fix_description = (
        "Sets public_network_access_enabled = false. Unsafe: clients connecting over "
        "the internet lose access until a private endpoint is in place."
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        # azurerm 3.x and 4.x: true for SQL and single servers. Flexible servers decide by
        # their network mode (VNet-integrated ones have no public endpoint): left unknown.
        if entity.type in FLEXIBLE_SERVERS:
            return UNKNOWN
        return True
