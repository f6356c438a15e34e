from __future__ import annotations

from typing import ClassVar

from tfguard.evaluate import Value
from tfguard.findings import Severity
from tfguard.rules.kit.conditions import AnyOf, Contains
from tfguard.rules.kit.declarative import Check


class DocdbLogExports(Check):
    id = "aws-docdb-log-exports"
    title = "DocumentDB cluster exports neither audit nor profiler logs"
    severity = Severity.MEDIUM
    rationale = (
        "Without enabled_cloudwatch_logs_exports, DocumentDB keeps no record of "
        "authentication, user and role changes (audit) or of the operations clients ran "
        "(profiler) outside the cluster: unauthorised access or data extraction cannot be "
        "investigated."
    )
    remediation = (
        'Set enabled_cloudwatch_logs_exports = ["audit", "profiler"] and audit_logs = '
        '"enabled" in the cluster parameter group.'
    )
    links = (
        "https://docs.aws.amazon.com/documentdb/latest/developerguide/event-auditing.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/docdb_cluster#enabled_cloudwatch_logs_exports",
    )
    aliases = (
        "CKV_AWS_85",
        "AVD-AWS-0020",
        "AWS-0020",
        "aws-documentdb-enable-log-export",
    )
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
  cluster_identifier              = "catalog"
  master_username                 = "catalog"
  manage_master_user_password     = true
  storage_encrypted               = true
  enabled_cloudwatch_logs_exports = ["audit", "profiler"]
}
"""
    resource_types = ("aws_docdb_cluster",)
    attribute = "enabled_cloudwatch_logs_exports"
    condition = AnyOf(Contains("audit"), Contains("profiler"))
    default: ClassVar[Value] = []  # aws 4.x-6.x: no log exports
    message = "DocumentDB cluster {address} exports neither audit nor profiler logs"
    fix_description = (
        "No automatic fix: audit logs also need audit_logs enabled in the cluster parameter "
        "group, and log groups cost money."
    )
