from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureAcrAnonymousPull(Check):
    id = "azure-acr-anonymous-pull"
    title = "Container registry allows anonymous pulls"
    severity = Severity.HIGH
    rationale = (
        "With anonymous pull, anyone on the internet can download every image in the "
        "registry without credentials. Private images routinely contain source code, "
        "internal hostnames, configuration and secrets baked into layers."
    )
    remediation = (
        "Set anonymous_pull_enabled = false, and publish images meant for the public in a "
        "separate registry."
    )
    links = (
        docs("container_registry", "anonymous_pull_enabled"),
        "https://learn.microsoft.com/en-us/azure/container-registry/anonymous-pull-access",
    )
    aliases = ("CKV_AZURE_138",)
    bad_example = """
resource "azurerm_container_registry" "main" {
  name                = "acrcontoso"
  resource_group_name = "rg-build"
  location            = "westeurope"
  sku                 = "Premium"
  anonymous_pull_enabled = true
}
"""
    good_example = """
resource "azurerm_container_registry" "main" {
  name                = "acrcontoso"
  resource_group_name = "rg-build"
  location            = "westeurope"
  sku                 = "Premium"
}
"""
    resource_types = ("azurerm_container_registry",)
    attribute = "anonymous_pull_enabled"
    condition = Equals(False)
    default = False  # azurerm 3.x and 4.x: false
    message = "Container registry {address} lets anyone pull its images ({attribute} = {value})"
    fix = SetValue(
        "false",
        "Disable anonymous pulls",
        "unsafe",
        consequence="public consumers of the images need credentials afterwards",
    )
    fix_description = (
        "Sets anonymous_pull_enabled = false. Unsafe: public consumers of the images "
        "need credentials afterwards."
    )
