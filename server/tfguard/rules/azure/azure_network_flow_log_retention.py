from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import AnyOf, AtLeast, Equals
from tfguard.rules.kit.declarative import Check, SetValue, When


class AzureNetworkFlowLogRetention(Check):
    id = "azure-network-flow-log-retention"
    title = "Network Watcher flow logs are kept less than 90 days"
    severity = Severity.LOW
    rationale = (
        "Intrusions are typically discovered weeks or months after they start. Flow logs "
        "deleted after a few days cannot show how an attacker got in or what they reached, "
        "and CIS and most incident-response guidance ask for at least 90 days."
    )
    remediation = (
        "Set retention_policy { days = 90 } or more (0 keeps the logs forever), or keep the "
        "logs in a Log Analytics workspace with traffic analytics and a long retention."
    )
    links = (
        docs("network_watcher_flow_log", "retention_policy"),
        "https://learn.microsoft.com/en-us/azure/network-watcher/nsg-flow-logs-overview",
    )
    aliases = (
        "CKV_AZURE_12",
        "AVD-AZU-0049",
        "AZU-0049",
        "azure-network-retention-policy-set",
    )
    bad_example = """
resource "azurerm_network_watcher_flow_log" "app" {
  name                 = "flow-app"
  network_watcher_name = "NetworkWatcher_westeurope"
  resource_group_name  = "NetworkWatcherRG"
  target_resource_id   = azurerm_virtual_network.app.id
  storage_account_id   = azurerm_storage_account.logs.id
  enabled              = true

  retention_policy {
    enabled = true
    days    = 7
  }
}
"""
    good_example = """
resource "azurerm_network_watcher_flow_log" "app" {
  name                 = "flow-app"
  network_watcher_name = "NetworkWatcher_westeurope"
  resource_group_name  = "NetworkWatcherRG"
  target_resource_id   = azurerm_virtual_network.app.id
  storage_account_id   = azurerm_storage_account.logs.id
  enabled              = true

  retention_policy {
    enabled = true
    days    = 365
  }
}
"""
    resource_types = ("azurerm_network_watcher_flow_log",)
    attribute = "retention_policy.days"
    condition = AnyOf(Equals(0), AtLeast(90))
    # With the retention policy disabled Azure keeps the logs (the storage account's own
    # lifecycle rules apply); a disabled flow log is another rule's finding.
    only_if = (
        When("retention_policy.enabled", Equals(True)),
        When("enabled", Equals(True)),
    )
    message = "Flow log {address} keeps flow records {value} days: {attribute} {requirement}"
    fix = SetValue("90", "Keep flow logs for 90 days")
