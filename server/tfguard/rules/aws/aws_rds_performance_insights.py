from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._checks import hit_of, rewrite_arguments
from tfguard.rules.aws._rds import (
    CLUSTER,
    CLUSTER_INSTANCE,
    INSTANCE,
    KINDS,
    MYSQL_FAMILY,
    engine,
    standalone_instances,
)
from tfguard.rules.aws._support import key_choices
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.fixing import is_literal
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string

KEY = "performance_insights_kms_key_id"

# Instance classes on which MySQL and MariaDB do not offer Performance Insights.
SMALL_CLASSES = frozenset(
    {
        "db.t2.micro",
        "db.t2.small",
        "db.t3.micro",
        "db.t3.small",
        "db.t4g.micro",
        "db.t4g.small",
    }
)


class RdsPerformanceInsights(Check):
    id = "aws-rds-performance-insights"
    title = "RDS database does not enable Performance Insights"
    severity = Severity.LOW
    rationale = (
        "Performance Insights (the Standard mode of CloudWatch Database Insights) records "
        "database load by query, user, host and wait event. Without it, an unusual spike of "
        "queries from one host or user (a data dump, credential stuffing, a runaway job) can "
        "only be reconstructed from logs, if at all. Seven days of history are free."
    )
    remediation = (
        "Set performance_insights_enabled = true (with performance_insights_kms_key_id for a "
        "customer-managed key) on RDS instances, Aurora cluster instances and Multi-AZ DB "
        "clusters."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#performance_insights_enabled",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster_instance#performance_insights_enabled",
    )
    aliases = (
        "CKV_AWS_353",
        "AVD-AWS-0133",
        "AWS-0133",
        "aws-rds-enable-performance-insights",
    )
    bad_example = """
resource "aws_rds_cluster_instance" "ledger" {
  identifier         = "ledger-1"
  cluster_identifier = aws_rds_cluster.ledger.id
  engine             = "aurora-postgresql"
  instance_class     = "db.r6g.large"
}
"""
    good_example = """
resource "aws_rds_cluster_instance" "ledger" {
  identifier                   = "ledger-1"
  cluster_identifier           = aws_rds_cluster.ledger.id
  engine                       = "aurora-postgresql"
  instance_class               = "db.r6g.large"
  performance_insights_enabled = true
}

resource "aws_db_instance" "tiny" {
  identifier                  = "tiny"
  engine                      = "mysql"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "admin"
  manage_master_user_password = true
}
"""
    resource_types = (INSTANCE, CLUSTER_INSTANCE, CLUSTER)
    attribute = "performance_insights_enabled"
    condition = Equals(True)
    default = False  # aws provider 4.x-6.x
    message = "{kind} {address} turns Performance Insights off"
    missing_message = "{kind} {address} does not enable Performance Insights"
    fix_description = (
        "Sets performance_insights_enabled = true (an in-place change; seven days of history "
        "are free of charge) with performance_insights_kms_key_id: the module's only "
        "aws_kms_key, else a new variable <name>_performance_insights_kms_key_arn declared "
        "without a default, as the key cannot change once Performance Insights is on."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        hit = hit_of(module, finding, self.attribute)
        if hit is None or (hit.attribute is not None and not is_literal(hit.attribute)):
            return []
        entity = hit.entity
        if entity.attr(KEY) is not None:
            edits = rewrite_arguments(module, entity, entity.block, {self.attribute: "true"})
            return [Fix("Enable Performance Insights", tuple(edits), "safe")] if edits else []
        choices = key_choices(
            module,
            entity,
            f"{entity.name}_performance_insights_kms_key_arn",
            f"ARN of the customer-managed KMS key that encrypts the Performance Insights "
            f"data of {entity.address}",
        )
        out: list[Fix] = []
        for choice in choices:
            changes = {self.attribute: "true", KEY: choice.expr}
            edits = rewrite_arguments(module, entity, entity.block, changes)
            if edits:
                title = f"Enable Performance Insights, encrypted with {choice.label}"
                out.append(Fix(title, (*edits, *choice.edits), "safe"))
        return out


def _supported(module: Module, entity: Entity) -> bool:
    name = engine(module, entity)
    if not isinstance(name, str):
        return False
    if name.startswith("db2"):
        return False
    if name in MYSQL_FAMILY:
        size = as_string(module.attr_value(entity, "instance_class"))
        return isinstance(size, str) and size not in SMALL_CLASSES
    return True


def _subjects(module: Module) -> Iterator[Entity]:
    for entity in standalone_instances(module):
        if _supported(module, entity):
            yield entity
    for entity in live(module, CLUSTER_INSTANCE):
        if _supported(module, entity):
            yield entity
    for entity in live(module, CLUSTER):
        # Only a Multi-AZ DB cluster (engine mysql / postgres) sets it on the cluster; an
        # Aurora cluster sets it on each instance.
        if engine(module, entity) in ("mysql", "postgres"):
            yield entity
