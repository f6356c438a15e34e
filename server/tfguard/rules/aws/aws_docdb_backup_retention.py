from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import AtLeast
from tfguard.rules.kit.declarative import Check, SetValue


class DocdbBackupRetention(Check):
    id = "aws-docdb-backup-retention"
    title = "DocumentDB cluster keeps backups for less than a week"
    severity = Severity.LOW
    rationale = (
        "backup_retention_period defaults to 1 day: data deleted or corrupted by a bad "
        "deploy, a compromised client or ransomware on a Friday can no longer be restored "
        "to a point before the damage on Monday. Seven days covers a week of detection."
    )
    remediation = "Set backup_retention_period = 7 (or more; up to 35 days)."
    links = (
        "https://docs.aws.amazon.com/documentdb/latest/developerguide/backup_restore.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/docdb_cluster#backup_retention_period",
    )
    aliases = ("CKV_AWS_360",)
    bad_example = """
resource "aws_docdb_cluster" "catalog" {
  cluster_identifier          = "catalog"
  master_username             = "catalog"
  manage_master_user_password = true
  storage_encrypted           = true
}
"""
    good_example = """
resource "aws_docdb_cluster" "catalog" {
  cluster_identifier          = "catalog"
  master_username             = "catalog"
  manage_master_user_password = true
  storage_encrypted           = true
  backup_retention_period     = 7
}
"""
    resource_types = ("aws_docdb_cluster",)
    attribute = "backup_retention_period"
    condition = AtLeast(7)
    default = 1  # aws 4.x-6.x: 1 day
    message = "DocumentDB cluster {address} keeps backups for {value} day(s)"
    missing_message = "DocumentDB cluster {address} keeps backups for 1 day (the default)"
    fix = SetValue("7", "Keep backups for 7 days")
