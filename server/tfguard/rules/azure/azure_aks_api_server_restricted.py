from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.azure._aks import CLUSTER, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.network import is_open_cidr
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_bool, known_strings

# azurerm 4.x (and late 3.x): api_server_access_profile { authorized_ip_ranges };
# 3.x also had the top-level api_server_authorized_ip_ranges.
RANGE_PATHS = ("api_server_access_profile.authorized_ip_ranges", "api_server_authorized_ip_ranges")


class AzureAksApiServerRestricted(Rule):
    id = "azure-aks-api-server-restricted"
    title = "AKS API server is reachable from the whole internet"
    severity = Severity.HIGH
    rationale = (
        "A public AKS API server without authorized IP ranges accepts connections from any "
        "address: stolen kubeconfigs and tokens work from anywhere, and every Kubernetes API "
        "vulnerability is exposed to internet-wide scanning. A private cluster, or a list of "
        "authorized ranges, limits the control plane to known networks."
    )
    remediation = (
        "Set private_cluster_enabled = true (reached through a VNet, VPN or Bastion), or "
        "list the CI and admin ranges in api_server_access_profile { authorized_ip_ranges }."
    )
    links = (
        docs("kubernetes_cluster", "api_server_access_profile"),
        "https://learn.microsoft.com/en-us/azure/aks/api-server-authorized-ip-ranges",
        "https://learn.microsoft.com/en-us/azure/aks/private-clusters",
    )
    aliases = (
        "CKV_AZURE_6",
        "CKV_AZURE_115",
        "AVD-AZU-0041",
        "AZU-0041",
        "azure-container-limit-authorized-ips",
        "AVD-AZU-0065",
        "AZU-0065",
        "azure-container-enable-private-cluster",
    )
    bad_example = f"""
{HEAD}

  api_server_access_profile {{
    authorized_ip_ranges = ["0.0.0.0/0"]
  }}
}}
"""
    good_example = f"""
{HEAD}

  api_server_access_profile {{
    authorized_ip_ranges = ["203.0.113.0/24"]
  }}
}}

resource "azurerm_kubernetes_cluster" "private" {{
  name                    = "aks-private"
  location                = "westeurope"
  resource_group_name     = "rg-aks"
  dns_prefix              = "aksprivate"
  private_cluster_enabled = true

  default_node_pool {{
    name       = "system"
    node_count = 3
    vm_size    = "Standard_D4s_v5"
  }}

  identity {{
    type = "SystemAssigned"
  }}
}}
"""
    fix_description = (
        "No automatic fix: the ranges that need the API server (CI runners, admins) must be "
        "known, and making a cluster private recreates it."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for cluster in live(module, CLUSTER):
            private = lookup(module, cluster, "private_cluster_enabled")[0]
            flag = as_bool(private.value) if private.present else False  # default: false
            if flag is not False:
                continue  # private, or unknown
            ranges = [h for p in RANGE_PATHS for h in lookup(module, cluster, p) if h.present]
            if not ranges:
                anchor = private.anchor if private.present else cluster.block
                yield ctx.report(
                    cluster,
                    anchor,
                    f"AKS cluster {cluster.address} has a public API server without "
                    "authorized IP ranges",
                )
                continue
            for hit in ranges:
                if hit.value is UNKNOWN:
                    continue
                values, complete = known_strings(hit.value)
                opened = [v for v in values if is_open_cidr(v)]
                if opened or (complete and not values):
                    what = f"allows {opened[0]}" if opened else "lists no range"
                    yield ctx.report(
                        cluster,
                        hit.anchor,
                        f"AKS cluster {cluster.address} has a public API server whose "
                        f"authorized IP ranges {what}",
                    )
