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
    "azurerm_mysql_flexible_server_configuration",
    "azurerm_postgresql_flexible_server_configuration",
)
# Parameter → (values that weaken transport security, the value the fix writes).
PARAMETERS = {
    "require_secure_transport": (("off", "false", "0"), '"ON"'),
    "tls_version": (("tlsv1", "tlsv1.1", "tlsv1,tlsv1.1", "tlsv1,tlsv1.1,tlsv1.2"), '"TLSv1.2"'),
    "ssl_min_protocol_version": (("tlsv1", "tlsv1.1"), '"TLSv1.2"'),
}


class AzureDatabaseFlexibleSecureTransport(Rule):
    id = "azure-database-flexible-secure-transport"
    title = "Flexible server accepts unencrypted or pre-TLS 1.2 connections"
    severity = Severity.HIGH
    rationale = (
        "On MySQL and PostgreSQL flexible servers, transport security is a server parameter: "
        "require_secure_transport = OFF accepts plaintext logins and results, and tls_version "
        "or ssl_min_protocol_version below TLS 1.2 accepts deprecated protocols. Both are "
        "secure by default, so a configuration resource weakening them is a deliberate "
        "downgrade worth a second look."
    )
    remediation = (
        "Remove the configuration (the defaults are secure) or set require_secure_transport "
        '= "ON" and the TLS minimum to TLSv1.2.'
    )
    links = (
        docs("mysql_flexible_server_configuration"),
        "https://learn.microsoft.com/en-us/azure/mysql/flexible-server/how-to-connect-tls-ssl",
    )
    aliases = ()
    bad_example = """
resource "azurerm_mysql_flexible_server_configuration" "transport" {
  name                = "require_secure_transport"
  resource_group_name = "rg-data"
  server_name         = azurerm_mysql_flexible_server.main.name
  value               = "OFF"
}
"""
    good_example = """
resource "azurerm_mysql_flexible_server_configuration" "tls" {
  name                = "tls_version"
  resource_group_name = "rg-data"
  server_name         = azurerm_mysql_flexible_server.main.name
  value               = "TLSv1.2,TLSv1.3"
}
"""
    fix_description = 'Sets the secure value ("ON", or "TLSv1.2").'

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, *CONFIGURATIONS):
            name = as_string(module.attr_value(entity, "name"))
            attr = entity.attr("value")
            if not isinstance(name, str) or name.lower() not in PARAMETERS or attr is None:
                continue
            value = as_string(module.cached_value(attr.value))
            weak, _ = PARAMETERS[name.lower()]
            if isinstance(value, str) and value.replace(" ", "").lower() in weak:
                yield ctx.report(
                    entity,
                    attr,
                    f"{entity.address} sets {name} = {value}: the server accepts "
                    + (
                        "unencrypted"
                        if name.lower() == "require_secure_transport"
                        else "pre-1.2 TLS"
                    )
                    + " connections",
                    data={"parameter": name.lower()},
                )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        at = attribute_at(module, finding)
        parameter = finding.data.get("parameter")
        if at is None or not is_literal(at[2]) or parameter not in PARAMETERS:
            return []
        text = PARAMETERS[str(parameter)][1]
        edit = Editor(module).replace_value(at[0], at[2], text)
        return [
            Fix(
                f"Set value = {text}",
                (edit,),
                "unsafe",
                "clients that connect without TLS (or below TLS 1.2) are refused",
            )
        ]
