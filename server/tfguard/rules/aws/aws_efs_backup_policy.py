from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import AddCompanion, Relation, When
from tfguard.rules.kit.resources import live


class EfsBackupPolicy(Relation):
    id = "aws-efs-backup-policy"
    title = "EFS file system has no automatic backups"
    severity = Severity.LOW
    rationale = (
        "A file system created through the API has automatic backups off unless an "
        "aws_efs_backup_policy turns them on (or an AWS Backup plan selects it). Files "
        "deleted, overwritten or encrypted by ransomware on a shared file system then cannot "
        "be restored."
    )
    remediation = (
        'Add an aws_efs_backup_policy with backup_policy { status = "ENABLED" }, or select '
        "the file system in an AWS Backup plan."
    )
    links = (
        "https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html#automatic-backups",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_backup_policy",
    )
    bad_example = """
resource "aws_efs_file_system" "shared" {
  encrypted = true
}
"""
    good_example = """
resource "aws_efs_file_system" "shared" {
  encrypted = true
}

resource "aws_efs_backup_policy" "shared" {
  file_system_id = aws_efs_file_system.shared.id

  backup_policy {
    status = "ENABLED"
  }
}
"""
    resource_types = ("aws_efs_file_system",)
    companion_types = ("aws_efs_backup_policy",)
    link = "file_system_id"
    companion_when = (When("backup_policy.status", Equals("ENABLED")),)
    message = "EFS file system {address} has no backup policy with status ENABLED"
    fix = AddCompanion(
        """
resource "aws_efs_backup_policy" "{name}" {
  file_system_id = {subject}.id

  backup_policy {
    status = "ENABLED"
  }
}
""",
        "Turn on automatic backups (add aws_efs_backup_policy)",
    )
    fix_description = (
        "Adds an aws_efs_backup_policy with status ENABLED (backup storage is billed)."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        if live(module, "aws_backup_selection"):
            return []  # an AWS Backup plan may select the file systems
        return live(module, *self.resource_types)
