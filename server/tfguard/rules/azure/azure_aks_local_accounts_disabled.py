from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._aks import CLUSTER, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureAksLocalAccountsDisabled(Check):
    id = "azure-aks-local-accounts-disabled"
    title = "AKS cluster keeps its local admin account"
    severity = Severity.MEDIUM
    rationale = (
        "The local clusterAdmin account gives a static, non-expiring cluster-admin "
        "credential to anyone who can call listClusterAdminCredential (any Contributor on "
        "the cluster), bypassing Entra ID, MFA and Kubernetes RBAC bindings, and its use "
        "cannot be attributed to a person."
    )
    remediation = (
        "Set local_account_disabled = true once Entra ID integration is configured, and "
        "grant admins access through Entra ID groups."
    )
    links = (
        docs("kubernetes_cluster", "local_account_disabled"),
        "https://learn.microsoft.com/en-us/azure/aks/manage-local-accounts-managed-azure-ad",
    )
    aliases = ("CKV_AZURE_141",)
    bad_example = f"""
{HEAD}
}}
"""
    good_example = f"""
{HEAD}

  local_account_disabled = true

  azure_active_directory_role_based_access_control {{
    azure_rbac_enabled     = true
    admin_group_object_ids = [var.aks_admin_group_id]
  }}
}}
"""
    resource_types = (CLUSTER,)
    attribute = "local_account_disabled"
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    message = "AKS cluster {address} keeps its local admin account ({attribute} = {value})"
    missing_message = (
        "AKS cluster {address} keeps its local admin account: local_account_disabled "
        "defaults to false"
    )
    fix = SetValue(
        "true",
        "Disable the local admin account",
        "unsafe",
        consequence="kubeconfigs built from the local account stop working",
    )
    fix_description = (
        "Sets local_account_disabled = true. Unsafe: kubeconfigs built from the local "
        "account stop working, and the cluster needs Entra ID integration first."
    )
