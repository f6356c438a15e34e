from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals, Matches
from tfguard.rules.kit.declarative import Check, SetValue, When


class AzureAcrPublicNetworkAccess(Check):
    id = "azure-acr-public-network-access"
    title = "Premium container registry accepts pulls and pushes from the internet"
    severity = Severity.LOW
    rationale = (
        "A registry reachable from the internet accepts pushes from anywhere a credential "
        "leaks to. Premium registries can instead be reached only through private endpoints "
        "(or listed networks), keeping the software supply chain inside your networks."
    )
    remediation = (
        "Set public_network_access_enabled = false and add private endpoints for build "
        'agents and clusters, or use network_rule_set { default_action = "Deny" }.'
    )
    links = (
        docs("container_registry", "public_network_access_enabled"),
        "https://learn.microsoft.com/en-us/azure/container-registry/container-registry-private-link",
    )
    aliases = ("CKV_AZURE_139",)
    bad_example = """
resource "azurerm_container_registry" "main" {
  name                = "acrcontoso"
  resource_group_name = "rg-build"
  location            = "westeurope"
  sku                 = "Premium"
}
"""
    good_example = """
resource "azurerm_container_registry" "main" {
  name                = "acrcontoso"
  resource_group_name = "rg-build"
  location            = "westeurope"
  sku                 = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_container_registry" "dev" {
  name                = "acrcontosodev"
  resource_group_name = "rg-build"
  location            = "westeurope"
  sku                 = "Basic"
}
"""
    resource_types = ("azurerm_container_registry",)
    attribute = "public_network_access_enabled"
    condition = Equals(False)
    default = True  # azurerm 3.x and 4.x: true
    # Only the Premium tier supports private endpoints and network rules.
    only_if = (When("sku", Matches("(?i)^premium$")),)
    message = (
        "Container registry {address} accepts traffic from the internet ({attribute} = {value})"
    )
    missing_message = (
        "Container registry {address} accepts traffic from the internet: "
        "public_network_access_enabled defaults to true"
    )
    fix = SetValue(
        "false",
        "Disable public network access",
        "unsafe",
        consequence="clients outside private endpoints lose access",
    )
    fix_description = (
        "Sets public_network_access_enabled = false. Unsafe: clients outside private "
        "endpoints lose access."
    )
