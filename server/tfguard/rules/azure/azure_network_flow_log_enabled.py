from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureNetworkFlowLogEnabled(Check):
    id = "azure-network-flow-log-enabled"
    title = "Network Watcher flow log is disabled"
    severity = Severity.MEDIUM
    rationale = (
        "Flow logs record which addresses talked to which ports through an NSG or virtual "
        "network, allowed or denied. A flow log resource with enabled = false keeps its "
        "configuration but records nothing, so lateral movement, data exfiltration and "
        "scans leave no network trace to investigate."
    )
    remediation = "Set enabled = true on the azurerm_network_watcher_flow_log."
    links = (
        docs("network_watcher_flow_log", "enabled"),
        "https://learn.microsoft.com/en-us/azure/network-watcher/vnet-flow-logs-overview",
    )
    aliases = (
        "AVD-AZU-0073",
        "AZU-0073",
        "azure-network-network-watcher-flow-disabled",
    )
    bad_example = """
resource "azurerm_network_watcher_flow_log" "app" {
  name                 = "flow-app"
  network_watcher_name = "NetworkWatcher_westeurope"
  resource_group_name  = "NetworkWatcherRG"
  target_resource_id   = azurerm_virtual_network.app.id
  storage_account_id   = azurerm_storage_account.logs.id
  enabled              = false

  retention_policy {
    enabled = true
    days    = 90
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
    days    = 90
  }
}
"""
    resource_types = ("azurerm_network_watcher_flow_log",)
    attribute = "enabled"
    condition = Equals(True)
    default = True  # required in azurerm 3.x and 4.x; absent cannot be applied
    message = "Flow log {address} records nothing ({attribute} = {value})"
    fix = SetValue("true", "Enable the flow log")
