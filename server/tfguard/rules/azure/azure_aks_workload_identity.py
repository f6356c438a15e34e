from __future__ import annotations

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.azure._aks import CLUSTER, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.fixing import set_attributes_fix


class AzureAksWorkloadIdentity(Check):
    id = "azure-aks-workload-identity"
    title = "AKS cluster does not offer workload identity"
    severity = Severity.LOW
    rationale = (
        "Without the OIDC issuer and workload identity, pods that call Azure need a client "
        "secret or certificate stored as a Kubernetes secret, or share the node's managed "
        "identity with every other pod on the node. Workload identity gives each service "
        "account its own short-lived federated token, with no secret to leak."
    )
    remediation = (
        "Set oidc_issuer_enabled = true and workload_identity_enabled = true, then federate "
        "a user-assigned identity with each service account that needs Azure access."
    )
    links = (
        docs("kubernetes_cluster", "workload_identity_enabled"),
        "https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview",
    )
    aliases = ()
    bad_example = f"""
{HEAD}

  oidc_issuer_enabled = true
}}
"""
    good_example = f"""
{HEAD}

  oidc_issuer_enabled       = true
  workload_identity_enabled = true
}}
"""
    resource_types = (CLUSTER,)
    attribute = "workload_identity_enabled"
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    message = "AKS cluster {address} does not offer workload identity ({attribute} = {value})"
    missing_message = "AKS cluster {address} does not offer workload identity"
    fix_description = (
        "Sets oidc_issuer_enabled = true and workload_identity_enabled = true. Unsafe: "
        "the OIDC issuer cannot be turned off again."
    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_attributes_fix(
            module,
            finding,
            "Enable the OIDC issuer and workload identity",
            {"oidc_issuer_enabled": "true", "workload_identity_enabled": "true"},
            literal_only=True,
            applicability="unsafe", consequence="the OIDC issuer cannot be turned off again",
        )
