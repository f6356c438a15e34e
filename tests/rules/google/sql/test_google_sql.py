"""The Cloud SQL rules on two multi-file projects: PostgreSQL, MySQL and SQL Server
instances with open authorized networks (a dynamic block fed by terraform.tfvars), plaintext
connections, missing backups and the CIS database flags left at their engine defaults; and a
hardened project whose PostgreSQL flags come from a dynamic block over a variable's map."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity
from tfguard.fixes import apply_edits
from tfguard.rules import registry

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(r.id for r in registry.all_rules() if r.id.startswith("google-sql-"))

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one


def _settings(file: str, nth: int) -> tuple[str, int]:
    lines = (INSECURE / file).read_text(encoding="utf-8").splitlines()
    return file, [i + 1 for i, line in enumerate(lines) if line == "  settings {"][nth]


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_sql_findings_are_exact(insecure: ModuleResult) -> None:
    orders, replica = _settings("postgres.tf", 0), _settings("postgres.tf", 1)
    legacy, reports = _settings("others.tf", 0), _settings("others.tf", 1)
    pg_defaults = [
        "google-sql-postgres-log-disconnections",
        "google-sql-postgres-log-lock-waits",
        "google-sql-postgres-log-temp-files",
        "google-sql-postgres-pgaudit",
    ]
    expected = [
        # orders (POSTGRES_14): log_checkpoints is off by default before 15
        *[(rule, *orders) for rule in [*pg_defaults, "google-sql-postgres-log-checkpoints"]],
        ("google-sql-deletion-protection", *at("postgres.tf", "deletion_protection = false")),
        (
            "google-sql-no-public-authorized-network",
            *at("postgres.tf", "authorized_networks.value"),
        ),
        ("google-sql-require-ssl", "postgres.tf", at("postgres.tf", 'dynamic "auth')[1] - 1),
        ("google-sql-point-in-time-recovery", *at("postgres.tf", "backup_configuration {")),
        ("google-sql-postgres-log-min-duration-statement", *at("postgres.tf", "var.slow_query_ms")),
        # the replica (POSTGRES_16): private, TLS only, no backups of its own
        *[(rule, *replica) for rule in pg_defaults],
        # legacy (MYSQL_5_7)
        ("google-sql-backups", *legacy),
        ("google-sql-mysql-skip-show-database", *legacy),
        ("google-sql-instance-public-ip", "others.tf", at("others.tf", "require_ssl")[1] - 1),
        ("google-sql-require-ssl", *at("others.tf", "require_ssl = false")),
        ("google-sql-mysql-local-infile", "others.tf", at("others.tf", '"local_infile"')[1] + 1),
        # reports (SQL Server)
        ("google-sql-sqlserver-remote-access", *reports),
        ("google-sql-sqlserver-trace-flag-3625", *reports),
        ("google-sql-require-ssl", *at("others.tf", '"ALLOW_UNENCRYPTED_AND_ENCRYPTED"')),
        (
            "google-sql-sqlserver-cross-db-ownership-chaining",
            "others.tf",
            at("others.tf", '"cross db ownership chaining"')[1] + 1,
        ),
        ("google-sql-sqlserver-user-options", *at("others.tf", 'value = "16"')),
    ]
    assert triples(insecure) == sorted(expected)


def test_google_sql_require_ssl_severity_follows_the_public_ip(insecure: ModuleResult) -> None:
    public = one(insecure, "google-sql-require-ssl", at("others.tf", "require_ssl = false"))
    private = one(insecure, "google-sql-require-ssl", at("others.tf", '"ALLOW_UNENCRYPTED'))
    assert public.severity == Severity.HIGH and private.severity == Severity.MEDIUM


def test_without_tfvars_the_orders_database_is_not_open(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    result = Engine().analyze_module(str(project))
    found = {(f.rule_id, f.data["address"]) for f in FAMILY.mine(result)}
    orders = "google_sql_database_instance.orders"
    assert ("google-sql-no-public-authorized-network", orders) not in found
    assert ("google-sql-postgres-log-min-duration-statement", orders) not in found
    # Without the open network, its public IP is what is left to report.
    assert ("google-sql-instance-public-ip", orders) in found


def test_google_sql_flag_fix_adds_the_flag_to_settings(insecure: ModuleResult) -> None:
    finding = one(insecure, "google-sql-postgres-log-lock-waits", _settings("postgres.tf", 0))
    rule = registry.get(finding.rule_id)
    assert rule is not None and insecure.module is not None
    [fix] = rule.fixes(finding, insecure.module)
    assert fix.preferred
    fixed = apply_edits((INSECURE / "postgres.tf").read_text(encoding="utf-8"), fix.edits)
    assert '      name  = "log_lock_waits"\n      value = "on"\n' in fixed
    # A value from a variable is fixed where the variable is set, not here.
    statement = one(
        insecure,
        "google-sql-postgres-log-min-duration-statement",
        at("postgres.tf", "var.slow_query_ms"),
    )
    statement_rule = registry.get(statement.rule_id)
    assert statement_rule is not None
    assert statement_rule.fixes(statement, insecure.module) == []


def test_hardened_sql_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    assert [
        (f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()
    ] == []
