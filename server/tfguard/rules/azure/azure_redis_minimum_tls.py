from __future__ import annotations

from typing import ClassVar

from tfguard.findings import Severity
from tfguard.rules.azure._support import VersionedCheck, docs
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import SetValue
from tfguard.rules.kit.values import Value


class AzureRedisMinimumTls(VersionedCheck):
    id = "azure-redis-minimum-tls"
    title = "Redis cache accepts TLS versions older than 1.2"
    severity = Severity.MEDIUM
    rationale = (
        "TLS 1.0 and 1.1 are deprecated and Azure Cache for Redis is retiring them; a cache "
        "that still accepts them lets old clients send the access key and cached data over "
        "weak protocols. azurerm 3.x defaulted minimum_tls_version to 1.0 (4.x to 1.2), so "
        "caches created with 3.x often still accept TLS 1.0."
    )
    remediation = 'Set minimum_tls_version = "1.2".'
    links = (
        docs("redis_cache", "minimum_tls_version"),
        "https://learn.microsoft.com/en-us/azure/azure-cache-for-redis/cache-remove-tls-10-11",
    )
    aliases = ("CKV_AZURE_148",)
    bad_example = """
resource "azurerm_redis_cache" "main" {
  name                = "redis-contoso"
  location            = "westeurope"
  resource_group_name = "rg-cache"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
  minimum_tls_version = "1.0"
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
  minimum_tls_version = "1.2"
}

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

resource "azurerm_redis_cache" "sessions" {
  name                = "redis-contoso-sessions"
  location            = "westeurope"
  resource_group_name = "rg-cache"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
}
"""
    resource_types = ("azurerm_redis_cache",)
    attribute = "minimum_tls_version"
    condition = OneOf("1.2", "1.3")
    # Defaults to "1.0" in azurerm 3.x and "1.2" in 4.x: read from required_providers.
    defaults_by_major: ClassVar[dict[int, Value]] = {3: "1.0", 4: "1.2"}
    message = "Redis cache {address} accepts TLS {value}: {attribute} {requirement}"
    missing_message = (
        "Redis cache {address} accepts TLS 1.0: minimum_tls_version defaults to 1.0 in azurerm 3.x"
    )
    fix = SetValue(
        '"1.2"',
        "Require TLS 1.2",
        "unsafe",
        consequence="clients limited to TLS 1.0 or 1.1 can no longer connect",
    )
