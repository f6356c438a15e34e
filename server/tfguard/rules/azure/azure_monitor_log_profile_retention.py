from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import AnyOf, AtLeast, Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.paths import Hit, lookup
from tfguard.rules.kit.values import UNKNOWN, Value, as_bool


class AzureMonitorLogProfileRetention(Check):
    id = "azure-monitor-log-profile-retention"
    title = "Activity log profile keeps the activity log less than a year"
    severity = Severity.LOW
    rationale = (
        "The activity log records every management operation: who created, changed or "
        "deleted which resource, and who granted which role. Investigations often reach "
        "back months; CIS asks for at least 365 days (0 days, or a disabled retention "
        "policy, keeps the logs forever)."
    )
    remediation = (
        "Set retention_policy { enabled = true, days = 365 } (or disable the retention "
        "policy to keep the logs); new deployments should export the activity log with a "
        "subscription diagnostic setting instead of a log profile."
    )
    links = (
        docs("monitor_log_profile", "retention_policy"),
        "https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log",
    )
    aliases = (
        "CKV_AZURE_37",
        "AVD-AZU-0031",
        "AZU-0031",
        "azure-monitor-activity-log-retention-set",
    )
    bad_example = """
resource "azurerm_monitor_log_profile" "main" {
  name               = "default"
  storage_account_id = azurerm_storage_account.logs.id
  locations          = ["global", "westeurope", "northeurope"]
  categories         = ["Action", "Delete", "Write"]

  retention_policy {
    enabled = true
    days    = 30
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
    attribute = "retention_policy.days"
    condition = AnyOf(Equals(0), AtLeast(365))  # 0: kept indefinitely
    message = (
        "Log profile {address} keeps the activity log {value} days: {attribute} must be 0 "
        "(forever) or at least 365"
    )
    missing_message = "Log profile {address} sets no activity log retention"
    fix = SetValue("365", "Keep the activity log for 365 days")

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        # A disabled retention policy keeps the logs indefinitely.
        enabled = lookup(module, entity, "retention_policy.enabled")
        if any(h.present and as_bool(h.value) is not True for h in enabled):
            return
        for hit in lookup(module, entity, self.attribute):
            if not hit.present:
                continue  # days defaults to 0: the events are kept indefinitely
            if hit.value is UNKNOWN:
                continue
            if self.condition.test(hit.value) is False:
                yield hit, hit.value
