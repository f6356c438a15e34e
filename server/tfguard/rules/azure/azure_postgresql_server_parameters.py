from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, attribute_at
from tfguard.module import Module
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import is_literal
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string

CONFIGURATIONS = (
    "azurerm_postgresql_configuration",
    "azurerm_postgresql_flexible_server_configuration",
)
# Server parameters that must stay on, with what turning them off loses. Each is on by
# default on Azure Database for PostgreSQL, so only a configuration turning it off is
# reported.
PARAMETERS = {
    "log_checkpoints": "checkpoint activity in the server log",
    "log_connections": "a log line for every connection attempt",
    "log_disconnections": "a log line for every session end",
    "connection_throttling": "throttling of repeated failed logins",
    "connection_throttle.enable": "throttling of repeated failed logins",
}


class AzurePostgresqlServerParameters(Rule):
    id = "azure-postgresql-server-parameters"
    title = "PostgreSQL server parameter for logging or login throttling is turned off"
    severity = Severity.MEDIUM
    rationale = (
        "log_connections, log_disconnections and log_checkpoints put logins, sessions and "
        "checkpoint activity in the server log, which is what an investigation of a "
        "brute-force attack or a data theft starts from; connection throttling slows down "
        "password guessing. All are on by default; a configuration resource turning one off "
        "removes that protection."
    )
    remediation = 'Set value = "on" (or delete the configuration resource to keep the default).'
    links = (
        docs("postgresql_flexible_server_configuration"),
        "https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-server-parameters",
    )
    aliases = (
        "CKV_AZURE_30",
        "CKV_AZURE_31",
        "CKV_AZURE_32",
        "AVD-AZU-0024",
        "AZU-0024",
        "azure-database-postgres-configuration-log-checkpoints",
        "AVD-AZU-0019",
        "AZU-0019",
        "azure-database-postgres-configuration-log-connections",
        "AVD-AZU-0021",
        "AZU-0021",
        "azure-database-postgres-configuration-connection-throttling",
    )
    bad_example = """
resource "azurerm_postgresql_flexible_server_configuration" "connections" {
  name      = "log_connections"
  server_id = azurerm_postgresql_flexible_server.main.id
  value     = "off"
}
"""
    good_example = """
resource "azurerm_postgresql_flexible_server_configuration" "connections" {
  name      = "log_connections"
  server_id = azurerm_postgresql_flexible_server.main.id
  value     = "on"
}

resource "azurerm_postgresql_flexible_server_configuration" "duration" {
  name      = "log_duration"
  server_id = azurerm_postgresql_flexible_server.main.id
  value     = "off"
}
"""
    fix_description = 'Sets value = "on".'

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, *CONFIGURATIONS):
            name = as_string(module.attr_value(entity, "name"))
            attr = entity.attr("value")
            if not isinstance(name, str) or name.lower() not in PARAMETERS or attr is None:
                continue
            value = as_string(module.cached_value(attr.value))
            if isinstance(value, str) and value.strip().lower() in ("off", "false", "0"):
                yield ctx.report(
                    entity,
                    attr,
                    f"{entity.address} turns {name} off: no {PARAMETERS[name.lower()]}",
                )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        at = attribute_at(module, finding)
        if at is None or not is_literal(at[2]):
            return []
        edit = Editor(module).replace_value(at[0], at[2], '"on"')
        return [Fix('Set value = "on"', (edit,), applicability="safe")]
