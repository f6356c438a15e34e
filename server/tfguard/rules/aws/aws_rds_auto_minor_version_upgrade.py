from __future__ import annotations

from typing import Any

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._rds import CLUSTER_INSTANCE, INSTANCE, KINDS
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class RdsAutoMinorVersionUpgrade(Check):
    id = "aws-rds-auto-minor-version-upgrade"
    title = "RDS database does not apply minor engine upgrades automatically"
    severity = Severity.LOW
    rationale = (
        "Minor engine versions carry the security fixes for the database engine. With "
        "auto_minor_version_upgrade = false they are applied only when someone remembers to, "
        "so known vulnerabilities stay open for months; with the default (true) RDS applies "
        "them in the maintenance window."
    )
    remediation = (
        "Remove auto_minor_version_upgrade = false (the default is true) and choose a "
        "maintenance_window that suits the application."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html#USER_UpgradeDBInstance.Upgrading.AutoMinorVersionUpgrades",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#auto_minor_version_upgrade",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster_instance#auto_minor_version_upgrade",
    )
    aliases = ("CKV_AWS_226",)
    bad_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.m6g.large"
  allocated_storage           = 100
  username                    = "orders"
  manage_master_user_password = true
  auto_minor_version_upgrade  = false
}
"""
    good_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.m6g.large"
  allocated_storage           = 100
  username                    = "orders"
  manage_master_user_password = true
  maintenance_window          = "sun:03:00-sun:04:00"
}
"""
    resource_types = (INSTANCE, CLUSTER_INSTANCE)
    attribute = "auto_minor_version_upgrade"
    condition = Equals(True)
    default = True  # aws provider 4.x-6.x
    message = (
        "{kind} {address} turns automatic minor version upgrades off: engine security fixes "
        "wait for a manual upgrade"
    )
    fix = SetValue("true", "Apply minor engine upgrades to {address} automatically")
    fix_description = (
        "Sets auto_minor_version_upgrade = true (upgrades then happen in the maintenance window)."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}
