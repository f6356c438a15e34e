from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue, When


class AzureSqlAlertEmailAdmins(Check):
    id = "azure-sql-alert-email-admins"
    title = "SQL threat alerts are not emailed to the subscription admins"
    severity = Severity.LOW
    rationale = (
        "An alert nobody reads protects nothing. With email_account_admins = false, SQL "
        "threat detections (SQL injection, brute force, exfiltration) reach only the listed "
        "addresses, which are often stale; subscription owners and co-administrators are "
        "the people able to act."
    )
    remediation = "Set email_account_admins = true on the security alert policy."
    links = (
        docs("mssql_server_security_alert_policy", "email_account_admins"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/threat-detection-configure",
    )
    aliases = (
        "CKV_AZURE_27",
        "AVD-AZU-0023",
        "AZU-0023",
        "azure-database-threat-alert-email-to-owner",
    )
    bad_example = """
resource "azurerm_mssql_server_security_alert_policy" "main" {
  resource_group_name = "rg-data"
  server_name         = azurerm_mssql_server.main.name
  state               = "Enabled"
  email_addresses     = ["secops@contoso.com"]
}
"""
    good_example = """
resource "azurerm_mssql_server_security_alert_policy" "main" {
  resource_group_name = "rg-data"
  server_name         = azurerm_mssql_server.main.name
  state               = "Enabled"
  email_addresses      = ["secops@contoso.com"]
  email_account_admins = true
}
"""
    resource_types = ("azurerm_mssql_server_security_alert_policy",)
    attribute = "email_account_admins"
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    only_if = (When("state", Equals("Enabled", ignore_case=True)),)
    message = "Security alert policy {address} does not email the admins ({attribute} = {value})"
    missing_message = (
        "Security alert policy {address} does not email the admins: email_account_admins "
        "defaults to false"
    )
    fix = SetValue("true", "Email alerts to the subscription admins")
