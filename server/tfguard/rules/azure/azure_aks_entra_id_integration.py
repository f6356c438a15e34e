from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._aks import CLUSTER, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Present
from tfguard.rules.kit.declarative import Check


class AzureAksEntraIdIntegration(Check):
    id = "azure-aks-entra-id-integration"
    title = "AKS cluster does not authenticate users with Entra ID"
    severity = Severity.MEDIUM
    rationale = (
        "Without Entra ID integration, access to the API server rests on client certificates "
        "in kubeconfig files: they cannot be revoked individually, carry no MFA or "
        "conditional access, and are not tied to a person in the audit log. Entra ID "
        "integration lets access follow group membership and be reviewed and revoked."
    )
    remediation = (
        "Add azure_active_directory_role_based_access_control { azure_rbac_enabled = true, "
        "admin_group_object_ids = [...] } and set local_account_disabled = true."
    )
    links = (
        docs("kubernetes_cluster", "azure_active_directory_role_based_access_control"),
        "https://learn.microsoft.com/en-us/azure/aks/enable-authentication-microsoft-entra-id",
    )
    aliases = ()
    bad_example = f"""
{HEAD}
}}
"""
    good_example = f"""
{HEAD}

  azure_active_directory_role_based_access_control {{
    azure_rbac_enabled     = true
    admin_group_object_ids = [var.aks_admin_group_id]
  }}
}}
"""
    resource_types = (CLUSTER,)
    attribute = "azure_active_directory_role_based_access_control"
    condition = Present()
    message = "AKS cluster {address} does not use Entra ID for authentication"
    missing_message = (
        "AKS cluster {address} does not use Entra ID for authentication: no "
        "azure_active_directory_role_based_access_control block"
    )
    fix_description = (
        "No automatic fix: the admin groups must be chosen, and the integration cannot be "
        "turned off once enabled."
    )
