from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._aks import CLUSTER, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Present
from tfguard.rules.kit.declarative import Check


class AzureAksMonitoring(Check):
    id = "azure-aks-monitoring"
    title = "AKS cluster does not send container logs to Azure Monitor"
    severity = Severity.LOW
    rationale = (
        "Without Container insights (the oms_agent add-on), container logs and node events "
        "live only on the nodes and disappear with them; an intrusion or a crash loop "
        "cannot be investigated after the fact, and no alert can fire on it."
    )
    remediation = (
        "Add oms_agent { log_analytics_workspace_id = ... } (with "
        "msi_auth_for_monitoring_enabled = true), and send the control-plane logs "
        "(kube-audit) to the workspace with a diagnostic setting."
    )
    links = (
        docs("kubernetes_cluster", "oms_agent"),
        "https://learn.microsoft.com/en-us/azure/azure-monitor/containers/container-insights-overview",
    )
    aliases = ("CKV_AZURE_4", "AVD-AZU-0040", "AZU-0040", "azure-container-logging")
    bad_example = f"""
{HEAD}
}}
"""
    good_example = f"""
{HEAD}

  oms_agent {{
    log_analytics_workspace_id      = azurerm_log_analytics_workspace.main.id
    msi_auth_for_monitoring_enabled = true
  }}
}}
"""
    resource_types = (CLUSTER,)
    attribute = "oms_agent"
    condition = Present()
    message = "AKS cluster {address} sends no container logs to Azure Monitor"
    missing_message = (
        "AKS cluster {address} sends no container logs to Azure Monitor (no oms_agent)"
    )
    fix_description = "No automatic fix: the Log Analytics workspace must be chosen."
