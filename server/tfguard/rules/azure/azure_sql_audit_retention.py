from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import AnyOf, AtLeast, Equals
from tfguard.rules.kit.declarative import SetValue


class AzureSqlAuditRetention(AliasedCheck):
    id = "azure-sql-audit-retention"
    title = "SQL audit logs are kept less than 90 days"
    severity = Severity.LOW
    rationale = (
        "Breaches are usually found weeks or months after they begin; audit records deleted "
        "after a few days cannot show what was read or changed. CIS and most compliance "
        "regimes require at least 90 days of SQL audit history (0 keeps it forever)."
    )
    remediation = "Set retention_in_days = 0 (unlimited) or at least 90."
    links = (
        docs("mssql_server_extended_auditing_policy", "retention_in_days"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/auditing-overview",
    )
    aliases = (
        "CKV_AZURE_24",
        "AVD-AZU-0025",
        "AZU-0025",
        "azure-database-retention-period-set",
    )
    bad_example = """
resource "azurerm_mssql_server_extended_auditing_policy" "main" {
  server_id              = azurerm_mssql_server.main.id
  log_monitoring_enabled = true
  retention_in_days      = 30
}
"""
    good_example = """
resource "azurerm_mssql_server_extended_auditing_policy" "main" {
  server_id              = azurerm_mssql_server.main.id
  log_monitoring_enabled = true
  retention_in_days      = 90
}

resource "azurerm_mssql_database_extended_auditing_policy" "orders" {
  database_id            = azurerm_mssql_database.orders.id
  log_monitoring_enabled = true
}
"""
    resource_types = (
        "azurerm_mssql_server_extended_auditing_policy",
        "azurerm_mssql_database_extended_auditing_policy",
        "azurerm_sql_server",
        "azurerm_mssql_server",
        # 2.x and early 3.x databases carried an inline extended_auditing_policy.
        "azurerm_sql_database",
        "azurerm_mssql_database",
    )
    attributes = ("retention_in_days", "extended_auditing_policy.retention_in_days")
    condition = AnyOf(Equals(0), AtLeast(90))
    default = 0  # azurerm 3.x and 4.x: 0, unlimited
    message = "{address} keeps audit records {value} days: {attribute} must be 0 or at least 90"
    fix = SetValue("90", "Keep audit records for 90 days")
