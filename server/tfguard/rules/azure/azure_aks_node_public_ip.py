from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._aks import CLUSTER, HEAD, NODE_POOL
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue


class AzureAksNodePublicIp(AliasedCheck):
    id = "azure-aks-node-public-ip"
    title = "AKS nodes get public IP addresses"
    severity = Severity.MEDIUM
    rationale = (
        "With node public IPs every node is directly addressable from the internet: kubelet, "
        "SSH and every NodePort or hostPort service are then one NSG mistake away from "
        "exposure. Nodes normally need only outbound access, through a load balancer or NAT "
        "gateway."
    )
    remediation = (
        "Set node_public_ip_enabled = false (enable_node_public_ip in azurerm 3.x) on the "
        "default node pool and every azurerm_kubernetes_cluster_node_pool; publish services "
        "through a load balancer or ingress."
    )
    links = (
        docs("kubernetes_cluster", "node_public_ip_enabled"),
        docs("kubernetes_cluster_node_pool", "node_public_ip_enabled"),
        "https://learn.microsoft.com/en-us/azure/aks/use-node-public-ips",
    )
    aliases = ("CKV_AZURE_143",)
    bad_example = """
resource "azurerm_kubernetes_cluster_node_pool" "batch" {
  name                   = "batch"
  kubernetes_cluster_id  = azurerm_kubernetes_cluster.main.id
  vm_size                = "Standard_D8s_v5"
  node_count             = 2
  node_public_ip_enabled = true
}
"""
    good_example = f"""
{HEAD}
}}

resource "azurerm_kubernetes_cluster_node_pool" "batch" {{
  name                  = "batch"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.main.id
  vm_size               = "Standard_D8s_v5"
  node_count            = 2
  enable_node_public_ip = false
}}
"""
    resource_types = (CLUSTER, NODE_POOL)
    attributes = (
        "default_node_pool.node_public_ip_enabled",
        "default_node_pool.enable_node_public_ip",
        "node_public_ip_enabled",
        "enable_node_public_ip",
    )
    condition = Equals(False)
    default = False  # azurerm 3.x and 4.x: false
    message = "{address} gives its nodes public IP addresses ({attribute} = {value})"
    fix = SetValue(
        "false",
        "Remove the nodes' public IPs",
        "unsafe",
        consequence="the node pool is recreated, and nodes lose their public addresses",
    )
    fix_description = (
        "Sets the flag to false. Unsafe: the node pool is recreated, and anything "
        "reaching nodes on their public addresses stops working."
    )
