from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._checks import hit_of, rewrite_arguments
from tfguard.rules.aws._support import key_choices
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.fixing import is_literal
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_bool

# Arguments that make a new database take its encryption from somewhere else: a snapshot, a
# source instance or cluster, a point-in-time restore.
INHERITED = {
    "aws_db_instance": ("replicate_source_db", "snapshot_identifier"),
    "aws_rds_cluster": ("snapshot_identifier", "replication_source_identifier"),
    "aws_rds_global_cluster": ("source_db_cluster_identifier",),
}


class RdsStorageEncrypted(Check):
    id = "aws-rds-storage-encrypted"
    title = "RDS or Aurora storage is not encrypted"
    severity = Severity.HIGH
    rationale = (
        "storage_encrypted defaults to false for RDS instances and provisioned Aurora "
        "clusters. Unencrypted storage leaves the database files, automated backups, read "
        "replicas and snapshots readable to anyone who obtains them, and an unencrypted "
        "snapshot can be shared with or copied to another account. Encryption can only be "
        "chosen when the database is created."
    )
    remediation = (
        "Set storage_encrypted = true (with kms_key_id for a customer-managed key) on new "
        "instances and clusters. An existing database must be migrated: snapshot it, copy "
        "the snapshot with encryption, and restore from the encrypted copy."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#storage_encrypted",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#storage_encrypted",
    )
    aliases = (
        "CKV_AWS_16",
        "CKV_AWS_96",
        "AVD-AWS-0080",
        "AWS-0080",
        "aws-rds-encrypt-instance-storage-data",
        "AVD-AWS-0079",
        "AWS-0079",
        "aws-rds-encrypt-cluster-storage-data",
    )
    bad_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "orders"
  manage_master_user_password = true
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
  storage_encrypted           = false
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "orders"
  manage_master_user_password = true
  storage_encrypted           = true
}

resource "aws_db_instance" "orders_replica" {
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.orders.identifier
  instance_class      = "db.t4g.micro"
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
  storage_encrypted           = true
}

resource "aws_rds_cluster" "legacy" {
  cluster_identifier = "legacy"
  engine             = "aurora-mysql"
  engine_mode        = "serverless"
  master_username    = "legacy"
  master_password    = var.legacy_password
}
"""
    resource_types = ("aws_db_instance", "aws_rds_cluster", "aws_rds_global_cluster")
    attribute = "storage_encrypted"
    condition = Equals(True)
    default = False
    message = "{kind} {address} disables storage encryption"
    missing_message = (
        "{kind} {address} does not set storage_encrypted = true, so its storage, backups and "
        "snapshots are not encrypted"
    )
    fix_description = (
        "Sets storage_encrypted = true, with kms_key_id (the module's only aws_kms_key, else a "
        "new variable <name>_kms_key_arn declared without a default) when the database has "
        "none, as the key cannot change later either. The setting cannot change on an "
        "existing database: Terraform destroys it and creates an empty one, so the fix is "
        "offered for new databases but is never applied unattended by fix-all or tfguard "
        "fix. Migrate an existing database through an encrypted snapshot copy."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        # Replaces the database: offered, never applied unattended.
        hit = hit_of(module, finding, self.attribute)
        if hit is None or (hit.attribute is not None and not is_literal(hit.attribute)):
            return []
        entity = hit.entity
        title = "Encrypt the storage"
        consequence = "Terraform replaces the database: migrate existing data first"
        if entity.type == "aws_rds_global_cluster" or entity.attr("kms_key_id") is not None:
            edits = rewrite_arguments(module, entity, entity.block, {self.attribute: "true"})
            return [Fix(title, tuple(edits), "unsafe", consequence)] if edits else []
        choices = key_choices(
            module,
            entity,
            f"{entity.name}_kms_key_arn",
            f"ARN of the customer-managed KMS key that encrypts the storage of {entity.address}",
        )
        out: list[Fix] = []
        for choice in choices:
            changes = {self.attribute: "true", "kms_key_id": choice.expr}
            edits = rewrite_arguments(module, entity, entity.block, changes)
            if edits:
                label = f"{title} with {choice.label}"
                out.append(Fix(label, (*edits, *choice.edits), "unsafe", consequence))
        return out

    def subjects(self, module: Module) -> Iterable[Entity]:
        for entity in live(module, *self.resource_types):
            if _inherits_encryption(entity):
                continue
            if entity.type == "aws_db_instance":
                engine = module.attr_value(entity, "engine")
                if isinstance(engine, str) and engine.startswith("aurora"):
                    continue  # an Aurora instance is encrypted by its cluster
            if entity.type == "aws_rds_cluster":
                if module.attr_value(entity, "engine_mode") == "serverless":
                    continue  # Aurora Serverless v1 is always encrypted
                if entity.attr("global_cluster_identifier") is not None and (
                    as_bool(module.attr_value(entity, "storage_encrypted", None)) is UNKNOWN
                ):
                    continue  # a member of a global database may follow the global cluster
            yield entity


KINDS = {
    "aws_db_instance": "RDS instance",
    "aws_rds_cluster": "RDS cluster",
    "aws_rds_global_cluster": "RDS global cluster",
}


def _inherits_encryption(entity: Entity) -> bool:
    if any(entity.attr(name) is not None for name in INHERITED[entity.type]):
        return True
    return entity.block.block("restore_to_point_in_time") is not None
