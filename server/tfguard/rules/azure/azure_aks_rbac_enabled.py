from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._aks import CLUSTER, HEAD
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue


class AzureAksRbacEnabled(AliasedCheck):
    id = "azure-aks-rbac-enabled"
    title = "AKS cluster has Kubernetes RBAC disabled"
    severity = Severity.HIGH
    rationale = (
        "Without Kubernetes RBAC every authenticated user and service account is effectively "
        "cluster-admin: any pod's token can read every secret, create privileged pods and "
        "take over the nodes. RBAC is the basis of every other access control in the cluster."
    )
    remediation = (
        "Set role_based_access_control_enabled = true (the default) and grant access with "
        "Roles and RoleBindings; the change recreates the cluster."
    )
    links = (
        docs("kubernetes_cluster", "role_based_access_control_enabled"),
        "https://learn.microsoft.com/en-us/azure/aks/concepts-identity",
    )
    aliases = (
        "CKV_AZURE_5",
        "AVD-AZU-0042",
        "AZU-0042",
        "azure-container-use-rbac-permissions",
    )
    bad_example = f"""
{HEAD}

  role_based_access_control_enabled = false
}}
"""
    good_example = f"""
{HEAD}
}}
"""
    resource_types = (CLUSTER,)
    # 2.x wrote role_based_access_control { enabled = ... }.
    attributes = ("role_based_access_control_enabled", "role_based_access_control.enabled")
    condition = Equals(True)
    default = True  # azurerm 3.x and 4.x: true
    message = "AKS cluster {address} has Kubernetes RBAC disabled ({attribute} = {value})"
    fix = SetValue(
        "true",
        "Enable Kubernetes RBAC",
        "unsafe",
        consequence="the change recreates the cluster",
    )
    fix_description = (
        "Sets role_based_access_control_enabled = true. Unsafe: the change recreates "
        "the cluster."
    )
