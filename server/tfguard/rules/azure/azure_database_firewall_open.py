from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.azure._database import WIDE_RANGE, firewall_ranges
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule


class AzureDatabaseFirewallOpen(Rule):
    id = "azure-database-firewall-open"
    title = "Database firewall rule admits the whole internet or a very wide public range"
    severity = Severity.CRITICAL
    rationale = (
        "A server-level firewall rule from 0.0.0.0 to 255.255.255.255 lets every address on "
        "the internet reach the SQL, PostgreSQL, MySQL, MariaDB or Redis endpoint; only the "
        "login then stands between the data and password spraying or an authentication "
        "vulnerability. Ranges of more than 65,536 public addresses are rarely what was meant "
        "and are reported as high."
    )
    remediation = (
        "Replace the rule with the specific egress addresses of the clients, use virtual "
        "network rules or private endpoints, and disable public network access where "
        "possible."
    )
    links = (
        docs("mssql_firewall_rule"),
        docs("postgresql_flexible_server_firewall_rule"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/firewall-configure",
    )
    aliases = (
        "CKV_AZURE_11",
        "AVD-AZU-0029",
        "AZU-0029",
        "azure-database-no-public-firewall-access",
    )
    bad_example = """
resource "azurerm_mssql_firewall_rule" "everyone" {
  name             = "everyone"
  server_id        = azurerm_mssql_server.main.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
"""
    good_example = """
resource "azurerm_mssql_firewall_rule" "office" {
  name             = "office"
  server_id        = azurerm_mssql_server.main.id
  start_ip_address = "203.0.113.10"
  end_ip_address   = "203.0.113.20"
}
"""
    fix_description = (
        "No automatic fix: the addresses that need the database must be listed instead."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for rule in firewall_ranges(ctx.module):
            if rule.whole_internet:
                yield ctx.report(
                    rule.entity,
                    rule.anchor,
                    f"Firewall rule {rule.entity.address} admits the whole internet "
                    f"({rule.start}-{rule.end})",
                )
            elif rule.size > WIDE_RANGE and rule.includes_public:
                yield ctx.report(
                    rule.entity,
                    rule.anchor,
                    f"Firewall rule {rule.entity.address} admits {rule.size:,} addresses "
                    f"({rule.start}-{rule.end}), public ones included",
                    severity=Severity.HIGH,
                )
