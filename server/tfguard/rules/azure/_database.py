"""Azure database resource types and firewall-rule ranges, shared by the database rules."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from tfguard.module import Entity, Module
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string
from tfguard.syntax import Attribute

SQL_SERVERS = ("azurerm_mssql_server", "azurerm_sql_server")
SINGLE_SERVERS = ("azurerm_postgresql_server", "azurerm_mysql_server", "azurerm_mariadb_server")
FLEXIBLE_SERVERS = ("azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server")
FIREWALL_RULES = (
    "azurerm_mssql_firewall_rule",
    "azurerm_sql_firewall_rule",
    "azurerm_postgresql_firewall_rule",
    "azurerm_mysql_firewall_rule",
    "azurerm_mariadb_firewall_rule",
    "azurerm_postgresql_flexible_server_firewall_rule",
    "azurerm_mysql_flexible_server_firewall_rule",
    "azurerm_redis_firewall_rule",
    "azurerm_synapse_firewall_rule",
)
REDIS_FIREWALL_RULE = "azurerm_redis_firewall_rule"
# Ranges wider than this that include public addresses are reported too.
WIDE_RANGE = 2**16


@dataclass(frozen=True, slots=True)
class FirewallRange:
    entity: Entity
    start: ipaddress.IPv4Address
    end: ipaddress.IPv4Address
    anchor: Attribute

    @property
    def size(self) -> int:
        return int(self.end) - int(self.start) + 1

    @property
    def whole_internet(self) -> bool:
        return int(self.start) == 0 and int(self.end) == 2**32 - 1

    @property
    def azure_services(self) -> bool:
        """0.0.0.0-0.0.0.0: Azure's "Allow Azure services and resources" switch (SQL,
        PostgreSQL, MySQL, MariaDB and Synapse; Redis has no such switch)."""
        return (
            int(self.start) == 0 and int(self.end) == 0 and self.entity.type != REDIS_FIREWALL_RULE
        )

    @property
    def includes_public(self) -> bool:
        """Whether the range holds any globally routable address (checked at its ends and
        at the first address of each /8 it spans)."""
        first, last = int(self.start), int(self.end)
        probes = {first, last, *range((first >> 24 << 24) + (1 << 24), last + 1, 1 << 24)}
        return any(ipaddress.IPv4Address(p).is_global for p in probes)


def _address(module: Module, entity: Entity, name: str) -> ipaddress.IPv4Address | None:
    text = as_string(module.attr_value(entity, name))
    if not isinstance(text, str):
        return None
    try:
        return ipaddress.IPv4Address(text.strip().split("/")[0])
    except ValueError:
        return None


def firewall_ranges(module: Module) -> list[FirewallRange]:
    """The firewall rules of the module's database and cache servers whose ends are known
    (``start_ip``/``end_ip`` on Redis, ``start_ip_address``/``end_ip_address`` elsewhere)."""
    out: list[FirewallRange] = []
    for entity in live(module, *FIREWALL_RULES):
        suffix = "" if entity.type == REDIS_FIREWALL_RULE else "_address"
        start = _address(module, entity, "start_ip" + suffix)
        end = _address(module, entity, "end_ip" + suffix)
        attr = entity.attr("start_ip" + suffix)
        if start is None or end is None or attr is None or end < start:
            continue
        out.append(FirewallRange(entity, start, end, attr))
    return out
