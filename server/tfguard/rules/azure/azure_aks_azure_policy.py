from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._aks import CLUSTER, HEAD
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue


class AzureAksAzurePolicy(AliasedCheck):
    id = "azure-aks-azure-policy"
    title = "AKS cluster does not run the Azure Policy add-on"
    severity = Severity.LOW
    rationale = (
        "The Azure Policy add-on (Gatekeeper) enforces and reports pod security and "
        "configuration policies (no privileged containers, allowed registries, resource "
        "limits) across clusters from one place. Without it, nothing stops a deployment "
        "that runs privileged pods or pulls from an untrusted registry."
    )
    remediation = (
        "Set azure_policy_enabled = true and assign the Kubernetes pod security baseline "
        "initiative to the cluster's scope."
    )
    links = (
        docs("kubernetes_cluster", "azure_policy_enabled"),
        "https://learn.microsoft.com/en-us/azure/governance/policy/concepts/policy-for-kubernetes",
    )
    aliases = (
        "CKV_AZURE_116",
        "AVD-AZU-0066",
        "AZU-0066",
        "azure-container-enable-azure-policy-addon",
    )
    bad_example = f"""
{HEAD}
}}
"""
    good_example = f"""
{HEAD}

  azure_policy_enabled = true
}}
"""
    resource_types = (CLUSTER,)
    # azurerm 2.x wrote addon_profile { azure_policy { enabled = ... } }.
    attributes = ("azure_policy_enabled", "addon_profile.azure_policy.enabled")
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    message = "AKS cluster {address} does not run the Azure Policy add-on ({attribute} = {value})"
    missing_message = "AKS cluster {address} does not run the Azure Policy add-on"
    fix = SetValue("true", "Enable the Azure Policy add-on")
