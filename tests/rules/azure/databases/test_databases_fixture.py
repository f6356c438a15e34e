"""The database and cache rules (SQL, PostgreSQL, MySQL, Cosmos DB, Redis) on two multi-file
projects: one with open firewalls (an end address from terraform.tfvars), weak TLS, missing
admins and alert settings; one hardened, which must produce no finding of any rule. The Redis
TLS default depends on the azurerm major version read from required_providers."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "azure-database-public-network-access",
        "azure-database-firewall-open",
        "azure-database-allow-azure-services",
        "azure-database-minimum-tls",
        "azure-database-ssl-enforced",
        "azure-database-geo-redundant-backup",
        "azure-database-flexible-secure-transport",
        "azure-postgresql-server-parameters",
        "azure-sql-entra-admin",
        "azure-sql-auditing",
        "azure-sql-audit-retention",
        "azure-sql-security-alert-policy",
        "azure-sql-alert-all-detections",
        "azure-sql-alert-email-admins",
        "azure-sql-alert-emails",
        "azure-cosmosdb-public-network-access",
        "azure-cosmosdb-key-metadata-writes",
        "azure-cosmosdb-local-auth-disabled",
        "azure-redis-non-ssl-port",
        "azure-redis-minimum-tls",
        "azure-redis-public-network-access",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

SQL = at("sql.tf", '"azurerm_mssql_server" "main"')
ALERTS = at("sql.tf", '"azurerm_mssql_server_security_alert_policy" "main"')
POSTGRES = at("open_source.tf", '"azurerm_postgresql_server" "legacy"')
MYSQL = at("open_source.tf", '"azurerm_mysql_flexible_server" "app"')
COSMOS = at("open_source.tf", '"azurerm_cosmosdb_account" "main"')
REDIS = at("open_source.tf", '"azurerm_redis_cache" "sessions"')
EVERYONE = at("sql.tf", '"azurerm_mssql_firewall_rule" "everyone"')
AZURE = at("sql.tf", '"azurerm_mssql_firewall_rule" "azure"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        # SQL --------------------------------------------------------------------------------
        ("azure-database-public-network-access", *SQL),
        ("azure-database-minimum-tls", *at("sql.tf", '= "1.1"')),
        ("azure-sql-entra-admin", *SQL),
        # Firewall rules are reported on start_ip_address, the line after the name.
        ("azure-database-firewall-open", "sql.tf", EVERYONE[1] + 3),
        ("azure-database-allow-azure-services", "sql.tf", AZURE[1] + 3),
        ("azure-sql-audit-retention", *at("sql.tf", "= var.audit_days")),
        ("azure-sql-alert-all-detections", *at("sql.tf", '["Data_Exfiltration"]')),
        ("azure-sql-alert-email-admins", *ALERTS),
        ("azure-sql-alert-emails", *ALERTS),
        # PostgreSQL and MySQL -----------------------------------------------------------------
        ("azure-database-public-network-access", *POSTGRES),
        ("azure-database-public-network-access", *at("open_source.tf", "_access_enabled = true")),
        ("azure-database-ssl-enforced", *at("open_source.tf", "ssl_enforcement_enabled = false")),
        ("azure-database-geo-redundant-backup", *POSTGRES),
        ("azure-database-geo-redundant-backup", *MYSQL),
        ("azure-postgresql-server-parameters", "open_source.tf", POSTGRES[1] + 13),
        ("azure-database-flexible-secure-transport", "open_source.tf", MYSQL[1] + 12),
        # Cosmos DB and Redis ------------------------------------------------------------------
        ("azure-cosmosdb-public-network-access", *COSMOS),
        ("azure-cosmosdb-key-metadata-writes", *COSMOS),
        ("azure-cosmosdb-local-auth-disabled", *COSMOS),
        ("azure-redis-non-ssl-port", *at("open_source.tf", "enable_non_ssl_port = true")),
        ("azure-redis-minimum-tls", *REDIS),
        ("azure-redis-public-network-access", *REDIS),
    ]
    assert triples(insecure) == sorted(expected)


def test_azure_database_firewall_open_reads_the_end_address_from_tfvars(
    insecure: ModuleResult,
) -> None:
    # variables.tf defaults the end to 203.0.113.20; terraform.tfvars sets 255.255.255.255.
    rule = one(insecure, "azure-database-firewall-open", ("sql.tf", EVERYONE[1] + 3))
    assert rule.severity == Severity.CRITICAL and "whole internet" in rule.message


def test_azure_sql_relations_are_satisfied_by_companions(insecure: ModuleResult) -> None:
    # The server has an auditing policy and an enabled alert policy: no relation finding.
    rules = {f.rule_id for f in FAMILY.mine(insecure)}
    assert "azure-sql-auditing" not in rules and "azure-sql-security-alert-policy" not in rules


REDIS_CACHE = """
resource "azurerm_redis_cache" "sessions" {
  name                = "redis"
  location            = "westeurope"
  resource_group_name = "rg"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
  public_network_access_enabled = false
}
"""


def _versions(constraint: str) -> str:
    return (
        "terraform {\n  required_providers {\n    azurerm = {\n"
        f'      source  = "hashicorp/azurerm"\n      version = "{constraint}"\n'
        "    }\n  }\n}\n"
    )


@pytest.mark.parametrize(
    ("constraint", "reported"),
    [("~> 3.100", True), ("~> 4.0", False), (">= 3.0, < 5.0", False), (None, False)],
)
def test_azure_redis_minimum_tls_default_follows_required_providers(
    tmp_path: Path, constraint: str | None, reported: bool
) -> None:
    # minimum_tls_version defaults to "1.0" in azurerm 3.x and "1.2" in 4.x: reported only
    # when required_providers admits 3.x alone.
    (tmp_path / "main.tf").write_text(REDIS_CACHE, encoding="utf-8")
    if constraint is not None:
        (tmp_path / "versions.tf").write_text(_versions(constraint), encoding="utf-8")
    result = Engine().analyze_module(str(tmp_path))
    found = [f for f in result.all_findings() if f.rule_id == "azure-redis-minimum-tls"]
    assert bool(found) == reported


def test_hardened_project_has_no_finding_of_any_rule() -> None:
    result = analyze_clean(HARDENED)
    assert [(f.rule_id, f.message) for f in result.all_findings()] == []
