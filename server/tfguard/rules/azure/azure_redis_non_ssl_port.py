from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import SetValue


class AzureRedisNonSslPort(AliasedCheck):
    id = "azure-redis-non-ssl-port"
    title = "Redis cache opens its unencrypted port (6379)"
    severity = Severity.HIGH
    rationale = (
        "The non-SSL port sends the access key and every cached value (sessions, tokens, "
        "personal data) in clear text, readable and alterable by anyone on the network path."
    )
    remediation = (
        "Set non_ssl_port_enabled = false (enable_non_ssl_port in azurerm 3.x) and connect "
        "clients to port 6380 with TLS."
    )
    links = (
        docs("redis_cache", "non_ssl_port_enabled"),
        "https://learn.microsoft.com/en-us/azure/azure-cache-for-redis/cache-configure#access-ports",
    )
    aliases = ("CKV_AZURE_91",)
    bad_example = """
resource "azurerm_redis_cache" "main" {
  name                = "redis-contoso"
  location            = "westeurope"
  resource_group_name = "rg-cache"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
  non_ssl_port_enabled = true
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
}
"""
    resource_types = ("azurerm_redis_cache",)
    attributes = ("non_ssl_port_enabled", "enable_non_ssl_port")
    condition = Equals(False)
    default = False  # azurerm 3.x and 4.x: false
    message = "Redis cache {address} accepts unencrypted connections ({attribute} = {value})"
    fix = SetValue(
        "false",
        "Close the non-SSL port",
        "unsafe",
        consequence="clients still using port 6379 lose access",
    )
    fix_description = (
        "Sets the flag to false. Unsafe: clients still using port 6379 lose access."
    )
