"""The RDS and Aurora rules on two multi-file projects: databases with the usual gaps (no
deletion protection, one day of backups from terraform.tfvars, no log exports, a public
snapshot), an Aurora MySQL cluster whose engine comes from a local in another file; and a
hardened project, which must produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.aws.aws_fix_helpers import applied, changed_lines
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "aws-rds-deletion-protection",
        "aws-rds-iam-authentication",
        "aws-rds-backup-retention",
        "aws-rds-log-exports",
        "aws-rds-performance-insights",
        "aws-rds-performance-insights-customer-key",
        "aws-rds-enhanced-monitoring",
        "aws-rds-multi-az",
        "aws-rds-copy-tags-to-snapshot",
        "aws-rds-auto-minor-version-upgrade",
        "aws-rds-customer-key",
        "aws-rds-snapshot-not-public",
        "aws-rds-default-port",
        "aws-rds-aurora-backtracking",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

ORDERS = at("databases.tf", '"aws_db_instance" "orders"')
REPLICA = at("databases.tf", '"aws_db_instance" "orders_replica"')
LEDGER = at("clusters.tf", '"aws_rds_cluster" "ledger"')
LEDGER_INSTANCE = at("clusters.tf", '"aws_rds_cluster_instance" "ledger"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        # The orders database leaves almost everything at the provider's defaults.
        ("aws-rds-deletion-protection", *ORDERS),
        ("aws-rds-iam-authentication", *ORDERS),
        ("aws-rds-log-exports", *ORDERS),
        ("aws-rds-enhanced-monitoring", *ORDERS),
        ("aws-rds-multi-az", *ORDERS),
        ("aws-rds-copy-tags-to-snapshot", *ORDERS),
        ("aws-rds-customer-key", *ORDERS),
        ("aws-rds-default-port", *ORDERS),
        ("aws-rds-backup-retention", *at("databases.tf", "= var.backup_days")),
        ("aws-rds-performance-insights", *at("databases.tf", "var.orders_performance_insights")),
        # A read replica: backups, IAM authentication, Multi-AZ and the key follow the source.
        ("aws-rds-log-exports", *REPLICA),
        ("aws-rds-enhanced-monitoring", *REPLICA),
        (
            "aws-rds-auto-minor-version-upgrade",
            *at("databases.tf", "auto_minor_version_upgrade = false"),
        ),
        # The reports database writes its mistakes out.
        (
            "aws-rds-backup-retention",
            *at("databases.tf", "backup_retention_period             = 0"),
        ),
        ("aws-rds-log-exports", *at("databases.tf", "enabled_cloudwatch_logs_exports     = []")),
        ("aws-rds-default-port", *at("databases.tf", "port                                = 3306")),
        ("aws-rds-snapshot-not-public", *at("databases.tf", '["111122223333", "all"]')),
        # The Aurora MySQL cluster (engine from locals.tf) and its instances.
        ("aws-rds-iam-authentication", *LEDGER),
        ("aws-rds-backup-retention", *LEDGER),
        ("aws-rds-copy-tags-to-snapshot", *LEDGER),
        ("aws-rds-customer-key", *LEDGER),
        ("aws-rds-default-port", *LEDGER),
        ("aws-rds-aurora-backtracking", *LEDGER),
        ("aws-rds-deletion-protection", *at("clusters.tf", "deletion_protection             = f")),
        ("aws-rds-log-exports", *at("clusters.tf", '["error", "slowquery"]')),
        ("aws-rds-performance-insights", *LEDGER_INSTANCE),
        ("aws-rds-enhanced-monitoring", *LEDGER_INSTANCE),
        (
            "aws-rds-auto-minor-version-upgrade",
            *at("clusters.tf", "auto_minor_version_upgrade = false"),
        ),
        # shared_accounts = ["all"] comes from terraform.tfvars.
        ("aws-rds-snapshot-not-public", *at("clusters.tf", "= var.snapshot_accounts")),
    ]
    assert triples(insecure) == sorted(expected)


def test_aws_rds_backup_retention_grades_by_value(insecure: ModuleResult) -> None:
    # terraform.tfvars sets 1 day (the variable's default is 14): low; 0 turns backups off.
    one_day = one(insecure, "aws-rds-backup-retention", at("databases.tf", "var.backup_days"))
    assert one_day.severity == Severity.LOW and "1 day" in one_day.message
    off = one(insecure, "aws-rds-backup-retention", at("databases.tf", "period             = 0"))
    assert off.severity == Severity.MEDIUM
    # Turning backups on from 0 briefly suspends I/O: offered, not preferred; from 1 day: both.
    [fix] = applied(insecure, off)
    assert not fix.preferred
    removed, added = changed_lines(
        (INSECURE / "databases.tf").read_text(), fix.files["databases.tf"]
    )
    assert removed == ["backup_retention_period = 0"]
    assert added == ["backup_retention_period = 7"]
    assert applied(insecure, one_day) == []  # the value comes from a variable


def test_aws_rds_log_exports_needs_the_aurora_mysql_audit_log(insecure: ModuleResult) -> None:
    ledger = one(insecure, "aws-rds-log-exports", at("clusters.tf", '["error", "slowquery"]'))
    assert "audit" in ledger.message and "Aurora MySQL" in ledger.message
    [fix] = applied(insecure, ledger)
    assert fix.preferred
    _, added = changed_lines((INSECURE / "clusters.tf").read_text(), fix.files["clusters.tf"])
    assert added == ['enabled_cloudwatch_logs_exports = ["error", "slowquery", "audit"]']
    # A PostgreSQL instance without the argument gets the engine's own log types.
    [orders_fix] = applied(insecure, one(insecure, "aws-rds-log-exports", ORDERS))
    _, added = changed_lines(
        (INSECURE / "databases.tf").read_text(), orders_fix.files["databases.tf"]
    )
    assert added == ['enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]']


def test_aws_rds_snapshot_not_public_is_critical_and_keeps_named_accounts(
    insecure: ModuleResult,
) -> None:
    literal = one(insecure, "aws-rds-snapshot-not-public", at("databases.tf", '"all"]'))
    from_tfvars = one(insecure, "aws-rds-snapshot-not-public", at("clusters.tf", "var.snapshot"))
    assert literal.severity == from_tfvars.severity == Severity.CRITICAL
    [fix] = applied(insecure, literal)
    assert not fix.preferred  # a snapshot published on purpose stops being public
    _, added = changed_lines((INSECURE / "databases.tf").read_text(), fix.files["databases.tf"])
    assert added == ['shared_accounts = ["111122223333"]']
    assert applied(insecure, from_tfvars) == []  # the list is defined in terraform.tfvars


def test_aws_rds_deletion_protection_fix_sets_the_flag(insecure: ModuleResult) -> None:
    [fix] = applied(insecure, one(insecure, "aws-rds-deletion-protection", ORDERS))
    assert fix.preferred
    _, added = changed_lines((INSECURE / "databases.tf").read_text(), fix.files["databases.tf"])
    assert added == ["deletion_protection = true"]


def test_aws_rds_customer_key_fix_replaces_the_database_so_is_not_preferred(
    insecure: ModuleResult,
) -> None:
    fixes = applied(insecure, one(insecure, "aws-rds-customer-key", LEDGER))
    assert fixes and not any(f.preferred for f in fixes)
    assert "aws_kms_key.rds.arn" in fixes[0].files["clusters.tf"]


def test_aws_rds_rules_skip_switched_off_resources(insecure: ModuleResult) -> None:
    archive = at("clusters.tf", '"aws_rds_cluster" "archive"')
    assert [f for f in FAMILY.mine(insecure) if f.range.start.line + 1 == archive[1]] == []


def test_hardened_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    assert [
        (f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()
    ] == []
