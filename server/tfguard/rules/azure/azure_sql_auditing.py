from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._database import SQL_SERVERS
from tfguard.rules.azure._support import InlineOrRelation, docs
from tfguard.rules.kit.conditions import Equals, Present
from tfguard.rules.kit.declarative import AddCompanion, When


class AzureSqlAuditing(InlineOrRelation):
    id = "azure-sql-auditing"
    title = "SQL server does not audit database activity"
    severity = Severity.MEDIUM
    rationale = (
        "Server auditing records logins, permission changes and queries for every database "
        "on the server. Without it, a data theft through a leaked login, SQL injection or a "
        "rogue administrator leaves no trace, and PCI DSS, HIPAA and ISO 27001 audits fail."
    )
    remediation = (
        "Add an azurerm_mssql_server_extended_auditing_policy (server_id = the server's id) "
        "sending to Log Analytics (log_monitoring_enabled = true) or a storage account, with "
        "a retention of at least 90 days."
    )
    links = (
        docs("mssql_server_extended_auditing_policy"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/auditing-overview",
    )
    aliases = (
        "CKV_AZURE_23",
        "AVD-AZU-0027",
        "AZU-0027",
        "azure-database-enable-audit",
    )
    bad_example = """
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

resource "azurerm_mssql_server_extended_auditing_policy" "main" {
  server_id              = azurerm_mssql_server.main.id
  log_monitoring_enabled = true
  retention_in_days      = 90
}
"""
    resource_types = SQL_SERVERS
    companion_types = ("azurerm_mssql_server_extended_auditing_policy",)
    link = "server_id"
    companion_when = (When("enabled", Equals(True), True),)
    # azurerm_sql_server (3.x) could carry the policy inline.
    inline_when = (When("extended_auditing_policy", Present()),)
    message = "SQL server {address} does not audit database activity"
    fix = AddCompanion(
        """
resource "azurerm_mssql_server_extended_auditing_policy" "{name}" {
  server_id              = {subject}.id
  log_monitoring_enabled = true
  retention_in_days      = 90
}
""",
        "Add a server auditing policy (to Azure Monitor, 90 days)",
    )
    fix_description = (
        "Adds an azurerm_mssql_server_extended_auditing_policy with log_monitoring_enabled "
        "= true and a 90-day retention. Audit records reach Log Analytics once the server's "
        "master database has a diagnostic setting for SQLSecurityAuditEvents."
    )
