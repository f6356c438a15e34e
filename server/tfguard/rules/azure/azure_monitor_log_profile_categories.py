from __future__ import annotations

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.azure._support import docs, replace_list_fix
from tfguard.rules.kit.conditions import AllOf, Contains
from tfguard.rules.kit.declarative import Check


class AzureMonitorLogProfileCategories(Check):
    id = "azure-monitor-log-profile-categories"
    title = "Activity log profile does not capture every category"
    severity = Severity.LOW
    rationale = (
        "A log profile exports only the categories it lists. Without Write, Delete and "
        "Action, resource changes, deletions or actions such as listing storage keys and "
        "restarting VMs are not kept, and exactly the events an investigation needs are "
        "missing."
    )
    remediation = 'Set categories = ["Action", "Delete", "Write"].'
    links = (
        docs("monitor_log_profile", "categories"),
        "https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log-schema",
    )
    aliases = (
        "CKV_AZURE_38",
        "AVD-AZU-0033",
        "AZU-0033",
        "azure-monitor-capture-all-activities",
    )
    bad_example = """
resource "azurerm_monitor_log_profile" "main" {
  name               = "default"
  storage_account_id = azurerm_storage_account.logs.id
  locations          = ["global", "westeurope", "northeurope"]
  categories         = ["Write"]

  retention_policy {
    enabled = true
    days    = 365
  }
}
"""
    good_example = """
resource "azurerm_monitor_log_profile" "main" {
  name               = "default"
  storage_account_id = azurerm_storage_account.logs.id
  locations          = ["global", "westeurope", "northeurope"]
  categories         = ["Action", "Delete", "Write"]

  retention_policy {
    enabled = true
    days    = 365
  }
}
"""
    resource_types = ("azurerm_monitor_log_profile",)
    attribute = "categories"
    condition = AllOf(Contains("Action"), Contains("Delete"), Contains("Write"))
    message = "Log profile {address} does not capture every category: {attribute} {requirement}"
    fix_description = (
        'Sets categories = ["Action", "Delete", "Write"] when the list is written in place.'
    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return replace_list_fix(
            module, finding, '["Action", "Delete", "Write"]', "Capture every category"
        )
