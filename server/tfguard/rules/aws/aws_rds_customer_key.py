from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._checks import downgraded
from tfguard.rules.aws._rds import (
    CLUSTER,
    INSTANCE,
    KINDS,
    is_replica,
    serverless_v1,
    standalone_instances,
)
from tfguard.rules.aws._support import key_argument_fixes
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool


class RdsCustomerKey(Check):
    id = "aws-rds-customer-key"
    title = "RDS storage is encrypted with the AWS-managed key instead of a customer-managed key"
    severity = Severity.LOW
    rationale = (
        "Encrypted RDS storage without kms_key_id uses the AWS-managed aws/rds key. Its "
        "policy cannot be changed: every principal allowed to use RDS in the account can "
        "restore the snapshots, and snapshots encrypted with it cannot be shared with another "
        "account (for backups or a break-glass copy). A customer-managed key lets its key "
        "policy decide who may decrypt, can be disabled in an incident, and logs every use."
    )
    remediation = (
        "Create an aws_kms_key for the database and set kms_key_id to its ARN when the "
        "database is created; an existing database moves to another key only through an "
        "encrypted snapshot copy and a restore."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#kms_key_id",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#kms_key_id",
    )
    aliases = ("CKV_AWS_327",)
    bad_example = """
resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
  storage_encrypted           = true
}
"""
    good_example = """
resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
  storage_encrypted           = true
  kms_key_id                  = aws_kms_key.rds.arn
}
"""
    resource_types = (INSTANCE, CLUSTER)
    attribute = "kms_key_id"
    condition = NotEmpty()
    message = "{kind} {address} sets an empty kms_key_id"
    missing_message = (
        "{kind} {address} encrypts its storage with the AWS-managed aws/rds key (kms_key_id "
        "is not set)"
    )
    fix_description = (
        "Sets kms_key_id to the module's only aws_kms_key, else to a new variable "
        "<name>_kms_key_arn declared without a default. Terraform replaces the database to "
        "change its key, so the fix is shown for new databases and never applied by a tool."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return downgraded(
            key_argument_fixes(
                module,
                finding,
                "kms_key_id",
                "{name}_kms_key_arn",
                "ARN of the customer-managed KMS key that encrypts the storage of {address}",
                "Encrypt the storage with {key}",
            ),
            "display",
            "Terraform replaces the database, and an existing one loses its data",
        )


def _encrypted(module: Module, entity: Entity) -> bool:
    """Known to encrypt its storage (an unencrypted database is another rule's finding)."""
    if entity.type == CLUSTER and serverless_v1(module, entity):
        return True  # Aurora Serverless v1 is always encrypted
    return as_bool(module.attr_value(entity, "storage_encrypted", False)) is True


def _subjects(module: Module) -> Iterator[Entity]:
    for entity in standalone_instances(module):
        # A replica in the source's region uses the source's key.
        if not is_replica(module, entity) and _encrypted(module, entity):
            yield entity
    for entity in live(module, CLUSTER):
        if _encrypted(module, entity):
            yield entity
