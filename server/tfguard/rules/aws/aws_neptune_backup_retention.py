from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import AtLeast
from tfguard.rules.kit.declarative import Check, SetValue


class NeptuneBackupRetention(Check):
    id = "aws-neptune-backup-retention"
    title = "Neptune cluster keeps backups for less than a week"
    severity = Severity.LOW
    rationale = (
        "backup_retention_period defaults to 1 day: a graph damaged by a bad import, a "
        "compromised client or an accidental drop is only recoverable if the damage is "
        "noticed within a day. Seven days covers a week of detection."
    )
    remediation = "Set backup_retention_period = 7 (or more; up to 35 days)."
    links = (
        "https://docs.aws.amazon.com/neptune/latest/userguide/backup-restore-overview.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/neptune_cluster#backup_retention_period",
    )
    aliases = ("CKV_AWS_361",)
    bad_example = """
resource "aws_neptune_cluster" "graph" {
  cluster_identifier = "graph"
  storage_encrypted  = true
}
"""
    good_example = """
resource "aws_neptune_cluster" "graph" {
  cluster_identifier      = "graph"
  storage_encrypted       = true
  backup_retention_period = 7
}
"""
    resource_types = ("aws_neptune_cluster",)
    attribute = "backup_retention_period"
    condition = AtLeast(7)
    default = 1  # aws 4.x-6.x: 1 day
    message = "Neptune cluster {address} keeps backups for {value} day(s)"
    missing_message = "Neptune cluster {address} keeps backups for 1 day (the default)"
    fix = SetValue("7", "Keep backups for 7 days")
