from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureRedisPublicNetworkAccess(Check):
    id = "azure-redis-public-network-access"
    title = "Redis cache accepts connections from the internet"
    severity = Severity.MEDIUM
    rationale = (
        "A cache with public network access answers on the internet, protected only by its "
        "access key and firewall rules; caches hold session tokens and personal data, and "
        "their keys leak through connection strings. Private endpoints keep the cache "
        "inside your networks."
    )
    remediation = (
        "Set public_network_access_enabled = false and reach the cache through a private endpoint."
    )
    links = (
        docs("redis_cache", "public_network_access_enabled"),
        "https://learn.microsoft.com/en-us/azure/azure-cache-for-redis/cache-private-link",
    )
    aliases = ("CKV_AZURE_89",)
    bad_example = """
resource "azurerm_redis_cache" "main" {
  name                = "redis-contoso"
  location            = "westeurope"
  resource_group_name = "rg-cache"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
  minimum_tls_version = "1.2"
}
"""
    good_example = """
resource "azurerm_redis_cache" "main" {
  name                = "redis-contoso"
  location            = "westeurope"
  resource_group_name = "rg-cache"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
}
"""
    resource_types = ("azurerm_redis_cache",)
    attribute = "public_network_access_enabled"
    condition = Equals(False)
    default = True  # azurerm 3.x and 4.x: true
    message = "Redis cache {address} accepts connections from the internet ({attribute} = {value})"
    missing_message = (
        "Redis cache {address} accepts connections from the internet: "
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
