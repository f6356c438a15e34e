from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._database import SINGLE_SERVERS
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureDatabaseSslEnforced(Check):
    id = "azure-database-ssl-enforced"
    title = "PostgreSQL, MySQL or MariaDB server accepts unencrypted connections"
    severity = Severity.HIGH
    rationale = (
        "With ssl_enforcement_enabled = false the server accepts plaintext connections: "
        "logins, passwords and query results can be read and altered by anyone on the "
        "network path, including other tenants' traffic paths inside a datacenter."
    )
    remediation = "Set ssl_enforcement_enabled = true and connect with sslmode=require or stricter."
    links = (
        docs("postgresql_server", "ssl_enforcement_enabled"),
        docs("mysql_server", "ssl_enforcement_enabled"),
        "https://learn.microsoft.com/en-us/azure/postgresql/single-server/concepts-ssl-connection-security",
    )
    aliases = (
        "CKV_AZURE_28",
        "CKV_AZURE_29",
        "CKV_AZURE_47",
        "AVD-AZU-0020",
        "AZU-0020",
        "azure-database-enable-ssl-enforcement",
    )
    bad_example = """
resource "azurerm_mysql_server" "main" {
  name                              = "mysql-contoso"
  location                          = "westeurope"
  resource_group_name               = "rg-data"
  sku_name                          = "GP_Gen5_2"
  version                           = "8.0"
  ssl_enforcement_enabled           = false
  public_network_access_enabled     = false
  geo_redundant_backup_enabled      = true
  infrastructure_encryption_enabled = true
}
"""
    good_example = """
resource "azurerm_mysql_server" "main" {
  name                              = "mysql-contoso"
  location                          = "westeurope"
  resource_group_name               = "rg-data"
  sku_name                          = "GP_Gen5_2"
  version                           = "8.0"
  ssl_enforcement_enabled           = true
  public_network_access_enabled     = false
  geo_redundant_backup_enabled      = true
  infrastructure_encryption_enabled = true
}
"""
    resource_types = SINGLE_SERVERS
    attribute = "ssl_enforcement_enabled"
    condition = Equals(True)
    # Required in azurerm 3.x (no default); 2.x defaulted to false.
    message = "{address} accepts unencrypted connections ({attribute} = {value})"
    missing_message = "{address} does not enforce SSL: ssl_enforcement_enabled is not set"
    fix = SetValue(
        "true",
        "Enforce SSL connections",
        "unsafe",
        consequence="clients that connect without TLS are refused",
    )
    fix_description = (
        "Sets ssl_enforcement_enabled = true. Unsafe: clients that connect without "
        "TLS are refused."
    )
