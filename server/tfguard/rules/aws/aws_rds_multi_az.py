from __future__ import annotations

from collections.abc import Iterable, Iterator

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._rds import INSTANCE, engine, is_replica, standalone_instances
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue

# Editions that cannot run Multi-AZ.
SINGLE_AZ_ENGINES = frozenset({"sqlserver-ex", "sqlserver-web"})


class RdsMultiAz(Check):
    id = "aws-rds-multi-az"
    title = "RDS instance runs in a single Availability Zone"
    severity = Severity.LOW
    rationale = (
        "multi_az defaults to false. A Single-AZ database is unavailable during an "
        "Availability Zone outage, a host failure or a maintenance reboot, and a storage "
        "failure can lose the writes since the last backup. A Multi-AZ standby takes over "
        "within a minute or two with no data loss."
    )
    remediation = (
        "Set multi_az = true on production databases (it roughly doubles the instance cost), "
        "or run an Aurora or Multi-AZ DB cluster."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#multi_az",
    )
    aliases = ("CKV_AWS_157",)
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
  multi_az                    = true
}

resource "aws_db_instance" "orders_replica" {
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.orders.identifier
  instance_class      = "db.m6g.large"
}
"""
    resource_types = (INSTANCE,)
    attribute = "multi_az"
    condition = Equals(True)
    default = False  # aws provider 4.x-6.x
    message = "RDS instance {address} turns Multi-AZ off"
    missing_message = (
        "RDS instance {address} runs in a single Availability Zone (multi_az is not set)"
    )
    fix = SetValue(
        "true",
        "Run {address} in Multi-AZ",
        applicability="unsafe",
        consequence="roughly doubles the instance cost",
    )
    fix_description = (
        "Sets multi_az = true. AWS converts the instance in place, but the standby doubles "
        "the instance cost, so the fix is offered and never applied unattended."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)


def _subjects(module: Module) -> Iterator[Entity]:
    for entity in standalone_instances(module):
        if is_replica(module, entity):
            continue  # a read replica's availability is a choice of its own
        if engine(module, entity) not in SINGLE_AZ_ENGINES:  # an unknown engine is checked
            yield entity
