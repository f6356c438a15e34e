from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check


class DocdbEncryption(Check):
    id = "aws-docdb-encryption"
    title = "DocumentDB cluster stores its data unencrypted"
    severity = Severity.HIGH
    rationale = (
        "storage_encrypted defaults to false: the cluster's volumes, automated backups, "
        "snapshots and replicas are then unencrypted at rest, and encryption cannot be added "
        "later (the data has to be restored into a new, encrypted cluster)."
    )
    remediation = "Set storage_encrypted = true (with kms_key_id for a customer-managed key)."
    links = (
        "https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/docdb_cluster#storage_encrypted",
    )
    aliases = (
        "CKV_AWS_74",
        "AVD-AWS-0021",
        "AWS-0021",
        "aws-documentdb-enable-storage-encryption",
    )
    bad_example = """
resource "aws_docdb_cluster" "catalog" {
  cluster_identifier          = "catalog"
  engine                      = "docdb"
  master_username             = "catalog"
  manage_master_user_password = true
}
"""
    good_example = """
resource "aws_docdb_cluster" "catalog" {
  cluster_identifier          = "catalog"
  engine                      = "docdb"
  master_username             = "catalog"
  manage_master_user_password = true
  storage_encrypted           = true
}
"""
    resource_types = ("aws_docdb_cluster",)
    attribute = "storage_encrypted"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    message = "DocumentDB cluster {address} disables storage encryption ({attribute} = {value})"
    missing_message = "DocumentDB cluster {address} does not encrypt its storage"
    fix_description = (
        "No automatic fix: encryption can only be chosen when the cluster is created; the "
        "data must be restored into a new cluster."
    )
