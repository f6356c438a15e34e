from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals, NotEmpty
from tfguard.rules.kit.declarative import Check, When


class AzureSqlAlertEmails(Check):
    id = "azure-sql-alert-emails"
    title = "SQL security alert policy sends alerts to no email address"
    severity = Severity.LOW
    rationale = (
        "Threat alerts need a recipient who owns the database. Without email_addresses the "
        "alerts only appear in the portal (and, at best, to subscription admins), where they "
        "are easily missed during an attack."
    )
    remediation = "List a monitored team address in email_addresses."
    links = (
        docs("mssql_server_security_alert_policy", "email_addresses"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/threat-detection-configure",
    )
    aliases = (
        "CKV_AZURE_26",
        "AVD-AZU-0018",
        "AZU-0018",
        "azure-database-threat-alert-email-set",
    )
    bad_example = """
resource "azurerm_mssql_server_security_alert_policy" "main" {
  resource_group_name = "rg-data"
  server_name         = azurerm_mssql_server.main.name
  state               = "Enabled"
  email_account_admins = true
}
"""
    good_example = """
resource "azurerm_mssql_server_security_alert_policy" "main" {
  resource_group_name = "rg-data"
  server_name         = azurerm_mssql_server.main.name
  state               = "Enabled"
  email_account_admins = true
  email_addresses      = ["secops@contoso.com"]
}
"""
    resource_types = ("azurerm_mssql_server_security_alert_policy",)
    attribute = "email_addresses"
    condition = NotEmpty()
    only_if = (When("state", Equals("Enabled", ignore_case=True)),)
    message = "Security alert policy {address} has an empty email_addresses"
    missing_message = "Security alert policy {address} sends alerts to no email address"
    fix_description = "No automatic fix: the recipients must be chosen."
