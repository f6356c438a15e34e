from __future__ import annotations

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, attribute_at
from tfguard.module import Module
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals, Satisfies
from tfguard.rules.kit.declarative import Check, When
from tfguard.rules.kit.fixing import literal_string
from tfguard.rules.kit.paths import ABSENT
from tfguard.rules.kit.values import UNKNOWN, Value, known_strings
from tfguard.syntax import TupleExpr


def _none_disabled(value: Value) -> object:
    if value is ABSENT:
        return True
    items, complete = known_strings(value)
    if items:
        return False
    return True if complete else UNKNOWN


class AzureSqlAlertAllDetections(Check):
    id = "azure-sql-alert-all-detections"
    title = "SQL security alert policy turns some threat detections off"
    severity = Severity.MEDIUM
    rationale = (
        "disabled_alerts switches off individual detections (Sql_Injection, "
        "Sql_Injection_Vulnerability, Access_Anomaly, Data_Exfiltration, Unsafe_Action, "
        "Brute_Force). Each one turned off is an attack class that will no longer raise an "
        "alert, usually silenced once for noise and never turned back on."
    )
    remediation = (
        "Remove disabled_alerts (or set it to []) and tune noisy alerts with suppression rules."
    )
    links = (
        docs("mssql_server_security_alert_policy", "disabled_alerts"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/threat-detection-overview",
    )
    aliases = (
        "CKV_AZURE_25",
        "AVD-AZU-0028",
        "AZU-0028",
        "azure-database-all-threat-alerts-enabled",
    )
    bad_example = """
resource "azurerm_mssql_server_security_alert_policy" "main" {
  resource_group_name = "rg-data"
  server_name         = azurerm_mssql_server.main.name
  state               = "Enabled"
  email_account_admins = true
  disabled_alerts      = ["Sql_Injection", "Data_Exfiltration"]
}
"""
    good_example = """
resource "azurerm_mssql_server_security_alert_policy" "main" {
  resource_group_name = "rg-data"
  server_name         = azurerm_mssql_server.main.name
  state               = "Enabled"
  email_account_admins = true
}
"""
    resource_types = ("azurerm_mssql_server_security_alert_policy",)
    attribute = "disabled_alerts"
    condition = Satisfies(_none_disabled, "must be empty")
    only_if = (When("state", Equals("Enabled", ignore_case=True)),)
    message = "Security alert policy {address} turns threat detections off ({attribute})"
    fix_description = "Sets disabled_alerts = [] when the list is written in place."

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        at = attribute_at(module, finding)
        if at is None or not isinstance(at[2].value, TupleExpr):
            return []
        if any(literal_string(item) is None for item in at[2].value.items):
            return []
        edit = Editor(module).replace_value(at[0], at[2], "[]")
        return [Fix("Turn every detection back on", (edit,), applicability="safe")]
