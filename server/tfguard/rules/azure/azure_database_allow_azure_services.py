from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.azure._database import firewall_ranges
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule


class AzureDatabaseAllowAzureServices(Rule):
    id = "azure-database-allow-azure-services"
    title = "Database firewall admits every Azure service (0.0.0.0 rule)"
    severity = Severity.LOW
    rationale = (
        'The special 0.0.0.0-0.0.0.0 firewall rule ("Allow Azure services and resources to '
        'access this server") admits connections from any Azure-hosted address, including '
        "VMs and functions of every other Azure customer. An attacker can run code in Azure "
        "for a few cents and reach the endpoint, leaving only the login to protect it."
    )
    remediation = (
        "Remove the 0.0.0.0 rule and admit your own services through virtual network rules, "
        "private endpoints or their specific outbound addresses."
    )
    links = (
        docs("mssql_firewall_rule"),
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/network-access-controls-overview",
    )
    aliases = ("CKV2_AZURE_34", "CKV2_AZURE_6")
    bad_example = """
resource "azurerm_postgresql_flexible_server_firewall_rule" "azure" {
  name             = "allow-azure-services"
  server_id        = azurerm_postgresql_flexible_server.main.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}
"""
    good_example = """
resource "azurerm_postgresql_flexible_server_firewall_rule" "app" {
  name             = "app-outbound"
  server_id        = azurerm_postgresql_flexible_server.main.id
  start_ip_address = "20.50.1.10"
  end_ip_address   = "20.50.1.10"
}
"""
    fix_description = (
        "No automatic fix: the services relying on the rule need another path (a VNet rule "
        "or a private endpoint) first."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for rule in firewall_ranges(ctx.module):
            if rule.azure_services:
                yield ctx.report(
                    rule.entity,
                    rule.anchor,
                    f"Firewall rule {rule.entity.address} admits every Azure-hosted address "
                    "(0.0.0.0, allow Azure services), other customers' included",
                )
