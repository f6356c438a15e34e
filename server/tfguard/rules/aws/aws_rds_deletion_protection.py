from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._rds import CLUSTER, KINDS, standalone_instances
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.resources import live


class RdsDeletionProtection(Check):
    id = "aws-rds-deletion-protection"
    title = "RDS database or Aurora cluster can be deleted without first lifting protection"
    severity = Severity.MEDIUM
    rationale = (
        "deletion_protection defaults to false for RDS instances and Aurora clusters. Without "
        "it, one terraform destroy, a renamed resource that Terraform plans to replace, or a "
        "console or API call with leaked credentials deletes the database; automated backups "
        "go with it unless a final snapshot is taken. With protection on, AWS refuses the "
        "delete until someone first turns protection off on purpose."
    )
    remediation = (
        "Set deletion_protection = true on production databases (aws_db_instance and "
        "aws_rds_cluster); turn it off in a separate, reviewed change before a planned "
        "deletion."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeleteInstance.DeletionProtection",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#deletion_protection",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#deletion_protection",
    )
    aliases = (
        "CKV_AWS_293",
        "CKV_AWS_139",
        "AVD-AWS-0177",
        "AWS-0177",
        "aws-rds-enable-deletion-protection",
        "AVD-AWS-0343",
        "AWS-0343",
        "aws-rds-enable-cluster-deletion-protection",
    )
    bad_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
  deletion_protection         = false
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
  deletion_protection         = true
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
  deletion_protection         = true
}
"""
    resource_types = ("aws_db_instance", CLUSTER)
    attribute = "deletion_protection"
    condition = Equals(True)
    default = False  # aws provider 4.x-6.x: false for instances and clusters
    message = "{kind} {address} turns deletion protection off"
    missing_message = (
        "{kind} {address} does not set deletion_protection = true: one destroy or API call "
        "deletes the database"
    )
    fix = SetValue("true", "Protect {address} from deletion")
    fix_description = (
        "Sets deletion_protection = true (an in-place change; a later planned deletion must "
        "first set it back to false)."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)


def _subjects(module: Module) -> Iterator[Entity]:
    # An Aurora cluster's instances are protected through their cluster.
    yield from standalone_instances(module)
    yield from live(module, CLUSTER)
