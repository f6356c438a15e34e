from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._aks import CLUSTER, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import Check


class AzureAksNetworkPolicy(Check):
    id = "azure-aks-network-policy"
    title = "AKS cluster has no network policy engine"
    severity = Severity.MEDIUM
    rationale = (
        "Without a network policy engine (Azure, Calico or Cilium), Kubernetes NetworkPolicy "
        "objects are silently ignored and every pod can reach every other pod in every "
        "namespace: one compromised workload can talk to databases, the metadata of other "
        "tenants and internal admin services."
    )
    remediation = (
        'Set network_profile { network_policy = "azure" } (or "calico", or "cilium" with '
        'network_data_plane = "cilium") and write NetworkPolicies that deny by default.'
    )
    links = (
        docs("kubernetes_cluster", "network_policy"),
        "https://learn.microsoft.com/en-us/azure/aks/use-network-policies",
    )
    aliases = (
        "CKV_AZURE_7",
        "AVD-AZU-0043",
        "AZU-0043",
        "azure-container-configured-network-policy",
    )
    bad_example = f"""
{HEAD}

  network_profile {{
    network_plugin = "azure"
  }}
}}
"""
    good_example = f"""
{HEAD}

  network_profile {{
    network_plugin = "azure"
    network_policy = "calico"
  }}
}}
"""
    resource_types = (CLUSTER,)
    attribute = "network_profile.network_policy"
    condition = OneOf("azure", "calico", "cilium", ignore_case=True)
    message = "AKS cluster {address} has no network policy engine ({attribute} = {value})"
    missing_message = (
        "AKS cluster {address} has no network policy engine: NetworkPolicy objects are "
        "ignored (no network_profile.network_policy)"
    )
    fix_description = (
        "No automatic fix: the engine must suit the network plugin, and changing it may "
        "recreate the cluster."
    )
