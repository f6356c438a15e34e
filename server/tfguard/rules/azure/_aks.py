"""Example text shared by the AKS rules' examples (no rule lives here)."""

from __future__ import annotations

CLUSTER = "azurerm_kubernetes_cluster"
NODE_POOL = "azurerm_kubernetes_cluster_node_pool"

# The first lines of an example cluster; each example adds what it shows and closes the
# block.
HEAD = """resource "azurerm_kubernetes_cluster" "main" {
  name                = "aks-prod"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "aksprod"

  default_node_pool {
    name       = "system"
    node_count = 3
    vm_size    = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }"""
