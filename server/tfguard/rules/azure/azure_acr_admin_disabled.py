from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureAcrAdminDisabled(Check):
    id = "azure-acr-admin-disabled"
    title = "Container registry has its admin user enabled"
    severity = Severity.MEDIUM
    rationale = (
        "The registry admin user is one shared username and password with push and pull "
        "rights on every repository. It is copied into pipelines and cluster pull secrets, "
        "cannot be scoped or attributed to a person, and a leaked copy lets anyone push a "
        "poisoned image that production then pulls."
    )
    remediation = (
        "Set admin_enabled = false and give pipelines and clusters AcrPush / AcrPull role "
        "assignments on managed identities (or repository-scoped tokens)."
    )
    links = (
        docs("container_registry", "admin_enabled"),
        "https://learn.microsoft.com/en-us/azure/container-registry/container-registry-authentication#admin-account",
    )
    aliases = ("CKV_AZURE_137",)
    bad_example = """
resource "azurerm_container_registry" "main" {
  name                = "acrcontoso"
  resource_group_name = "rg-build"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
}
"""
    good_example = """
resource "azurerm_container_registry" "main" {
  name                = "acrcontoso"
  resource_group_name = "rg-build"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = false
}
"""
    resource_types = ("azurerm_container_registry",)
    attribute = "admin_enabled"
    condition = Equals(False)
    default = False  # azurerm 3.x and 4.x: false
    message = (
        "Container registry {address} has its shared admin user enabled ({attribute} = {value})"
    )
    fix = SetValue(
        "false",
        "Disable the admin user",
        "unsafe",
        consequence="pipelines and pull secrets using the admin credentials stop working",
    )
    fix_description = (
        "Sets admin_enabled = false. Unsafe: pipelines and pull secrets using the "
        "admin credentials stop working."
    )
