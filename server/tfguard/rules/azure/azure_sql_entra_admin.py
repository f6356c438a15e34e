from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._database import SQL_SERVERS
from tfguard.rules.azure._support import InlineOrRelation, docs
from tfguard.rules.kit.conditions import Present
from tfguard.rules.kit.declarative import When


class AzureSqlEntraAdmin(InlineOrRelation):
    id = "azure-sql-entra-admin"
    title = "SQL server has no Entra ID administrator"
    severity = Severity.MEDIUM
    rationale = (
        "Without an Entra ID administrator, a SQL server can only be administered with its "
        "SQL login and password: a shared, long-lived credential without MFA, conditional "
        "access or per-person audit. An Entra ID admin group (ideally with Entra-only "
        "authentication) makes access follow group membership."
    )
    remediation = (
        "Add an azuread_administrator block (login_username, object_id of an admin group, "
        "azuread_authentication_only = true), or an azurerm_sql_active_directory_administrator "
        "for the legacy azurerm_sql_server."
    )
    links = (
        docs("mssql_server", "azuread_administrator"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/authentication-aad-overview",
    )
    aliases = ("CKV2_AZURE_7", "CKV2_AZURE_27")
    bad_example = """
resource "azurerm_mssql_server" "main" {
  name                          = "sql-contoso-prod"
  resource_group_name           = "rg-data"
  location                      = "westeurope"
  version                       = "12.0"
  administrator_login           = "sqladmin"
  administrator_login_password  = var.sql_admin_password
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
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
    resource_types = SQL_SERVERS
    companion_types = ("azurerm_sql_active_directory_administrator",)
    link = "server_name"
    name_attribute = "name"
    inline_when = (When("azuread_administrator", Present()),)
    message = "SQL server {address} has no Entra ID administrator"
    fix_description = "No automatic fix: the admin group must be chosen."
