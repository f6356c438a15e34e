from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.declarative import Relation


class AzureKeyvaultDiagnosticLogs(Relation):
    id = "azure-keyvault-diagnostic-logs"
    title = "Key Vault access is not logged (no diagnostic setting)"
    severity = Severity.MEDIUM
    rationale = (
        "Key Vault's AuditEvent log records every read of a secret, key or certificate and "
        "who made it. Without a diagnostic setting exporting it, a stolen identity reading "
        "every secret in the vault leaves no usable trace, and alerts on unusual access "
        "cannot be written."
    )
    remediation = (
        "Add an azurerm_monitor_diagnostic_setting with target_resource_id = the vault's id, "
        'enabled_log { category_group = "audit" } (log { category = "AuditEvent" } in '
        "azurerm 3.x), sending to a Log Analytics workspace or storage account."
    )
    links = (
        docs("monitor_diagnostic_setting"),
        "https://learn.microsoft.com/en-us/azure/key-vault/general/logging",
    )
    aliases = ()
    bad_example = """
resource "azurerm_key_vault" "main" {
  name                     = "kv-contoso-prod"
  location                 = "westeurope"
  resource_group_name      = "rg-security"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = true
}
"""
    good_example = """
resource "azurerm_key_vault" "main" {
  name                     = "kv-contoso-prod"
  location                 = "westeurope"
  resource_group_name      = "rg-security"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = true
}

resource "azurerm_monitor_diagnostic_setting" "kv" {
  name                       = "kv-audit"
  target_resource_id         = azurerm_key_vault.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category_group = "audit"
  }
}
"""
    resource_types = ("azurerm_key_vault",)
    companion_types = ("azurerm_monitor_diagnostic_setting",)
    link = "target_resource_id"
    message = "Key Vault {address} has no diagnostic setting: secret and key access is not logged"
    fix_description = "No automatic fix: the log destination (workspace or storage) must be chosen."
