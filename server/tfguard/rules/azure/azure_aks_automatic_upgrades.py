from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._aks import CLUSTER, HEAD
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import SetValue


class AzureAksAutomaticUpgrades(AliasedCheck):
    id = "azure-aks-automatic-upgrades"
    title = "AKS cluster has no automatic upgrade channel"
    severity = Severity.LOW
    rationale = (
        "Kubernetes minor versions leave AKS support after about a year, and patch releases "
        "fix security issues in the API server and kubelet. Without an automatic upgrade "
        "channel, clusters drift onto unsupported, unpatched versions unless someone "
        "upgrades them by hand."
    )
    remediation = (
        'Set automatic_upgrade_channel = "patch" or "stable" (automatic_channel_upgrade in '
        "azurerm 3.x) with a maintenance window, and node_os_upgrade_channel for node images."
    )
    links = (
        docs("kubernetes_cluster", "automatic_upgrade_channel"),
        "https://learn.microsoft.com/en-us/azure/aks/auto-upgrade-cluster",
    )
    aliases = ("CKV_AZURE_171",)
    bad_example = f"""
{HEAD}
}}
"""
    good_example = f"""
{HEAD}

  automatic_upgrade_channel = "patch"
}}
"""
    resource_types = (CLUSTER,)
    attributes = ("automatic_upgrade_channel", "automatic_channel_upgrade")
    condition = OneOf("patch", "rapid", "stable", "node-image")
    default = "none"  # azurerm 3.x and 4.x: no channel
    message = "AKS cluster {address} is not upgraded automatically ({attribute} = {value})"
    missing_message = "AKS cluster {address} is not upgraded automatically: no upgrade channel"
    fix = SetValue(
        '"patch"',
        "Upgrade to new patch releases automatically",
        "unsafe",
        consequence="the cluster upgrades itself (plan a maintenance window)",
    )
    fix_description = (
        'Sets the upgrade channel to "patch". Unsafe: the cluster then upgrades '
        "itself, which should be planned with a maintenance window."
    )
