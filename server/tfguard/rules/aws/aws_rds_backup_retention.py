from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._checks import downgraded, hit_of
from tfguard.rules.aws._rds import CLUSTER, INSTANCE, KINDS, is_replica, standalone_instances
from tfguard.rules.kit.conditions import AtLeast
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.paths import Hit
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_number


class RdsBackupRetention(Check):
    id = "aws-rds-backup-retention"
    title = "RDS database keeps automated backups for a day or less"
    severity = Severity.MEDIUM
    rationale = (
        "Automated backups are what point-in-time restore works from. When "
        "backup_retention_period is left out, RDS keeps them for one day: corruption, a bad "
        "migration or ransomware noticed after the weekend can no longer be undone. A period "
        "of 0 turns automated backups off entirely (medium); one day is reported as low."
    )
    remediation = (
        "Set backup_retention_period to the recovery window you need (7 to 35 days; 7 is the "
        "console default), or protect the database with an AWS Backup plan and say so in a "
        "suppression."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html#USER_WorkingWithAutomatedBackups.BackupRetention",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#backup_retention_period",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#backup_retention_period",
    )
    aliases = (
        "CKV_AWS_133",
        "AVD-AWS-0077",
        "AWS-0077",
        "aws-rds-specify-backup-retention",
    )
    bad_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
  backup_retention_period     = 0
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
  backup_retention_period     = 14
}

resource "aws_db_instance" "orders_replica" {
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.orders.identifier
  instance_class      = "db.t4g.medium"
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
  backup_retention_period     = 7
}
"""
    resource_types = (INSTANCE, CLUSTER)
    attribute = "backup_retention_period"
    condition = AtLeast(2)
    default = 1  # the RDS API default for instances and clusters when left out
    message = "{kind} {address} keeps automated backups for {value} day(s): {requirement}"
    missing_message = (
        "{kind} {address} does not set backup_retention_period: RDS keeps automated backups "
        "for one day only"
    )
    fix = SetValue("7", "Keep automated backups of {address} for 7 days")
    fix_description = (
        "Sets backup_retention_period = 7 (an in-place change). Turning backups on for a "
        "database that had them off (0) briefly suspends I/O of a Single-AZ instance, so that "
        "fix is offered but not applied unattended."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)

    def severity_for(self, module: Module, entity: Entity, hit: Hit) -> Severity | None:
        return Severity.MEDIUM if _off(hit) else Severity.LOW

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        fixes = super().fixes(finding, module)
        hit = hit_of(module, finding, self.attribute)
        if hit is not None and _off(hit):
            return downgraded(fixes, "unsafe", "a Single-AZ instance briefly suspends I/O")
        return fixes


def _off(hit: Hit) -> bool:
    """Automated backups switched off: backup_retention_period = 0."""
    return hit.present and as_number(hit.value) == 0


def _subjects(module: Module) -> Iterator[Entity]:
    for entity in standalone_instances(module):
        if not is_replica(module, entity):  # a replica's backups are not what restores the data
            yield entity
    yield from live(module, CLUSTER)
