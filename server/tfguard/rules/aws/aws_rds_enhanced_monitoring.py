from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._rds import (
    CLUSTER,
    CLUSTER_INSTANCE,
    INSTANCE,
    KINDS,
    engine,
    standalone_instances,
)
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.resources import live


class RdsEnhancedMonitoring(Check):
    id = "aws-rds-enhanced-monitoring"
    title = "RDS database does not enable Enhanced Monitoring"
    severity = Severity.LOW
    rationale = (
        "monitoring_interval defaults to 0, which turns Enhanced Monitoring off: CloudWatch "
        "then sees only hypervisor metrics once a minute, not the operating system's "
        "processes, memory and I/O. Unexpected processes, swap storms or I/O spikes from a "
        "compromised or misbehaving database go unseen until they cause an outage."
    )
    remediation = (
        "Set monitoring_interval to 60 (or 1, 5, 10, 15, 30 seconds) and monitoring_role_arn "
        "to a role that trusts monitoring.rds.amazonaws.com with the "
        "AmazonRDSEnhancedMonitoringRole policy."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#monitoring_interval",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster_instance#monitoring_interval",
    )
    aliases = ("CKV_AWS_118",)
    bad_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.m6g.large"
  allocated_storage           = 100
  username                    = "orders"
  manage_master_user_password = true
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
  monitoring_interval         = 60
  monitoring_role_arn         = aws_iam_role.rds_monitoring.arn
}
"""
    resource_types = (INSTANCE, CLUSTER_INSTANCE, CLUSTER)
    attribute = "monitoring_interval"
    condition = OneOf(1, 5, 10, 15, 30, 60)
    default = 0  # aws provider 4.x-6.x: Enhanced Monitoring off
    message = "{kind} {address} sets monitoring_interval = {value}: {requirement}"
    missing_message = (
        "{kind} {address} does not set monitoring_interval: Enhanced Monitoring is off"
    )
    fix_description = (
        "No automatic fix: Enhanced Monitoring needs an IAM role for monitoring.rds.amazonaws.com "
        "(monitoring_role_arn) that the module has to define or be given."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)


def _subjects(module: Module) -> Iterator[Entity]:
    yield from standalone_instances(module)
    yield from live(module, CLUSTER_INSTANCE)
    for entity in live(module, CLUSTER):
        if engine(module, entity) in ("mysql", "postgres"):  # a Multi-AZ DB cluster
            yield entity
