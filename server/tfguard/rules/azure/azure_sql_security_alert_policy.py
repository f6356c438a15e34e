from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._database import SQL_SERVERS
from tfguard.rules.azure._support import InlineOrRelation, docs
from tfguard.rules.kit.conditions import Equals, Present
from tfguard.rules.kit.declarative import When


class AzureSqlSecurityAlertPolicy(InlineOrRelation):
    id = "azure-sql-security-alert-policy"
    title = "SQL server has no enabled security alert policy (threat detection)"
    severity = Severity.MEDIUM
    rationale = (
        "Advanced threat protection alerts on SQL injection, logins from unusual places, "
        "brute force and data exfiltration patterns. Without an enabled security alert "
        "policy these attacks go unnoticed until the damage shows."
    )
    remediation = (
        'Add an azurerm_mssql_server_security_alert_policy with state = "Enabled", no '
        "disabled_alerts and email_account_admins = true (or enable Microsoft Defender for "
        "SQL for the subscription)."
    )
    links = (
        docs("mssql_server_security_alert_policy"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/threat-detection-overview",
    )
    aliases = ("CKV2_AZURE_13",)
    bad_example = """
resource "azurerm_mssql_server" "main" {
  name                          = "sql-contoso-prod"
  resource_group_name           = "rg-data"
  location                      = "westeurope"
  version                       = "12.0"
  public_network_access_enabled = false
}

resource "azurerm_mssql_server_security_alert_policy" "main" {
  resource_group_name = "rg-data"
  server_name         = azurerm_mssql_server.main.name
  state               = "Disabled"
}
"""
    good_example = """
resource "azurerm_mssql_server" "main" {
  name                          = "sql-contoso-prod"
  resource_group_name           = "rg-data"
  location                      = "westeurope"
  version                       = "12.0"
  public_network_access_enabled = false
}

resource "azurerm_mssql_server_security_alert_policy" "main" {
  resource_group_name  = "rg-data"
  server_name          = azurerm_mssql_server.main.name
  state                = "Enabled"
  email_account_admins = true
  email_addresses      = ["secops@contoso.com"]
}
"""
    resource_types = SQL_SERVERS
    companion_types = ("azurerm_mssql_server_security_alert_policy",)
    link = "server_name"
    name_attribute = "name"
    companion_when = (When("state", Equals("Enabled", ignore_case=True)),)
    # azurerm_sql_server (3.x) carried threat_detection_policy inline.
    inline_when = (When("threat_detection_policy", Present()),)
    message = "SQL server {address} has no enabled security alert policy"
    fix_description = "No automatic fix: the alert recipients must be chosen."
