from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._database import FLEXIBLE_SERVERS, SINGLE_SERVERS
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureDatabaseGeoRedundantBackup(Check):
    id = "azure-database-geo-redundant-backup"
    title = "Database server keeps its backups in one region only"
    severity = Severity.LOW
    rationale = (
        "Locally redundant backups share the fate of the region: a regional outage, a "
        "disaster or a region-wide incident leaves no restorable copy. Geo-redundant backup "
        "storage replicates backups to the paired region, so the server can be restored "
        "there."
    )
    remediation = (
        "Set geo_redundant_backup_enabled = true when creating the server (it cannot be "
        "changed later without recreating it)."
    )
    links = (
        docs("postgresql_flexible_server", "geo_redundant_backup_enabled"),
        "https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-backup-restore",
    )
    aliases = ("CKV_AZURE_94", "CKV_AZURE_102", "CKV_AZURE_129", "CKV_AZURE_136")
    bad_example = """
resource "azurerm_postgresql_flexible_server" "main" {
  name                = "psql-contoso"
  resource_group_name = "rg-data"
  location            = "westeurope"
  version             = "16"
  sku_name            = "GP_Standard_D2s_v3"
  delegated_subnet_id = azurerm_subnet.db.id
  private_dns_zone_id = azurerm_private_dns_zone.db.id
}
"""
    good_example = """
resource "azurerm_postgresql_flexible_server" "main" {
  name                         = "psql-contoso"
  resource_group_name          = "rg-data"
  location                     = "westeurope"
  version                      = "16"
  sku_name                     = "GP_Standard_D2s_v3"
  delegated_subnet_id          = azurerm_subnet.db.id
  private_dns_zone_id          = azurerm_private_dns_zone.db.id
  geo_redundant_backup_enabled = true
}
"""
    resource_types = (*SINGLE_SERVERS, *FLEXIBLE_SERVERS)
    attribute = "geo_redundant_backup_enabled"
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    message = "{address} keeps its backups in one region ({attribute} = {value})"
    missing_message = (
        "{address} keeps its backups in one region: geo_redundant_backup_enabled defaults to false"
    )
    fix = SetValue(
        "true",
        "Enable geo-redundant backups",
        "unsafe",
        consequence="the change recreates the server",
    )
    fix_description = (
        "Sets geo_redundant_backup_enabled = true. Unsafe: the change recreates the server."
    )
