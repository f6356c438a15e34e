from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix, attribute_at, block_at
from tfguard.module import Module
from tfguard.rules.azure._database import SINGLE_SERVERS, SQL_SERVERS
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import set_attributes_fix
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string

# The argument, its good values and its default (azurerm 3.x and 4.x) per server type.
_SETTINGS = {
    "azurerm_mssql_server": ("minimum_tls_version", ("1.2", "1.3"), "1.2", '"1.2"'),
    "azurerm_sql_server": ("minimum_tls_version", ("1.2", "1.3"), None, '"1.2"'),
    **{
        t: (
            "ssl_minimal_tls_version_enforced",
            ("TLS1_2", "TLS1_3"),
            "TLS1_2",
            '"TLS1_2"',
        )
        for t in SINGLE_SERVERS
    },
}


class AzureDatabaseMinimumTls(Rule):
    id = "azure-database-minimum-tls"
    title = "Database server accepts TLS versions older than 1.2"
    severity = Severity.MEDIUM
    rationale = (
        "TLS 1.0 and 1.1 are deprecated (RFC 8996) and vulnerable to downgrade and padding "
        "attacks; a server that still accepts them lets old or misconfigured clients send "
        'credentials and query results over them. On SQL, "Disabled" enforces no minimum at '
        "all."
    )
    remediation = (
        'Set minimum_tls_version = "1.2" on azurerm_mssql_server, or '
        'ssl_minimal_tls_version_enforced = "TLS1_2" on PostgreSQL, MySQL and MariaDB '
        "single servers."
    )
    links = (
        docs("mssql_server", "minimum_tls_version"),
        docs("postgresql_server", "ssl_minimal_tls_version_enforced"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/connectivity-settings#minimal-tls-version",
    )
    aliases = (
        "CKV_AZURE_52",
        "CKV_AZURE_54",
        "CKV_AZURE_147",
        "CKV2_AZURE_37",
        "AVD-AZU-0026",
        "AZU-0026",
        "azure-database-secure-tls-policy",
    )
    bad_example = """
resource "azurerm_mssql_server" "main" {
  name                          = "sql-contoso-prod"
  resource_group_name           = "rg-data"
  location                      = "westeurope"
  version                       = "12.0"
  minimum_tls_version           = "1.0"
  public_network_access_enabled = false

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = var.sql_admin_group_id
    azuread_authentication_only = true
  }
}
"""
    good_example = """
resource "azurerm_postgresql_server" "main" {
  name                             = "psql-contoso"
  location                         = "westeurope"
  resource_group_name              = "rg-data"
  sku_name                         = "GP_Gen5_2"
  version                          = "11"
  ssl_enforcement_enabled          = true
  ssl_minimal_tls_version_enforced = "TLS1_2"
  public_network_access_enabled    = false
  geo_redundant_backup_enabled     = true
}
"""
    fix_description = (
        'Sets the minimum to TLS 1.2 ("1.2" or "TLS1_2"). Unsafe (tfguard fix '
        "--unsafe-fixes): clients limited to TLS 1.0 or 1.1 can no longer connect."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, *SQL_SERVERS, *SINGLE_SERVERS):
            name, good, default, _ = _SETTINGS[entity.type]
            hit = lookup(module, entity, name)[0]
            value = hit.value if hit.present else default
            text = as_string(value) if value is not None else None
            if not isinstance(text, str) or text in good:
                continue
            shown = f"{name} = {text}" if hit.present else f"{name} defaults to {text}"
            yield ctx.report(
                entity,
                hit.anchor,
                f"{entity.address} accepts TLS versions older than 1.2 ({shown})",
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        at = attribute_at(module, finding)
        header = block_at(module, finding)
        entity = at[0] if at is not None else header[0] if header is not None else None
        if entity is None or entity.type not in _SETTINGS:
            return []
        name, _, _, text = _SETTINGS[entity.type]
        return set_attributes_fix(
            module,
            finding,
            "Require TLS 1.2",
            {name: text},
            literal_only=True,
            applicability="unsafe",
            consequence="clients limited to TLS 1.0 or 1.1 can no longer connect",
        )
