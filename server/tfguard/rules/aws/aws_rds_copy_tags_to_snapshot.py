from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._rds import CLUSTER, INSTANCE, KINDS, standalone_instances
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.resources import live


class RdsCopyTagsToSnapshot(Check):
    id = "aws-rds-copy-tags-to-snapshot"
    title = "RDS database does not copy its tags to snapshots"
    severity = Severity.INFO
    rationale = (
        "copy_tags_to_snapshot defaults to false, so snapshots are created without the "
        "database's tags. Tag-based access control (aws:ResourceTag conditions), data "
        "classification, ownership and cost allocation then stop at the snapshot: a "
        "snapshot of a confidential database looks like any other and may be shared or kept "
        "forever."
    )
    remediation = "Set copy_tags_to_snapshot = true on RDS instances and clusters."
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.html#USER_Tagging.CopyTags",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#copy_tags_to_snapshot",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#copy_tags_to_snapshot",
    )
    aliases = ("CKV_AWS_313", "CKV2_AWS_60")
    bad_example = """
resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
}
"""
    good_example = """
resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
  copy_tags_to_snapshot       = true
}
"""
    resource_types = (INSTANCE, CLUSTER)
    attribute = "copy_tags_to_snapshot"
    condition = Equals(True)
    default = False  # aws provider 4.x-6.x
    message = "{kind} {address} does not copy its tags to snapshots"
    fix = SetValue("true", "Copy the tags of {address} to its snapshots")
    fix_description = "Sets copy_tags_to_snapshot = true (an in-place change)."

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)


def _subjects(module: Module) -> Iterator[Entity]:
    yield from standalone_instances(module)
    yield from live(module, CLUSTER)
