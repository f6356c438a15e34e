from __future__ import annotations

from typing import ClassVar

from tfguard.evaluate import Value
from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Contains
from tfguard.rules.kit.declarative import Check


class NeptuneAuditLogs(Check):
    id = "aws-neptune-audit-logs"
    title = "Neptune cluster does not export audit logs"
    severity = Severity.MEDIUM
    rationale = (
        "Neptune's audit log records every connection and query sent to the cluster. "
        'Without "audit" in enable_cloudwatch_logs_exports (and neptune_enable_audit_log in '
        "the parameter group) misuse of the graph cannot be traced to a client."
    )
    remediation = (
        'Set enable_cloudwatch_logs_exports = ["audit"] and neptune_enable_audit_log = 1 in '
        "the cluster parameter group."
    )
    links = (
        "https://docs.aws.amazon.com/neptune/latest/userguide/auditing.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/neptune_cluster#enable_cloudwatch_logs_exports",
    )
    aliases = ("CKV_AWS_101", "AVD-AWS-0075", "AWS-0075", "aws-neptune-enable-log-export")
    bad_example = """
resource "aws_neptune_cluster" "graph" {
  cluster_identifier = "graph"
  storage_encrypted  = true
}
"""
    good_example = """
resource "aws_neptune_cluster" "graph" {
  cluster_identifier             = "graph"
  storage_encrypted              = true
  enable_cloudwatch_logs_exports = ["audit"]
}
"""
    resource_types = ("aws_neptune_cluster",)
    attribute = "enable_cloudwatch_logs_exports"
    condition = Contains("audit")
    default: ClassVar[Value] = []  # aws 4.x-6.x: no log exports
    message = "Neptune cluster {address} does not export audit logs"
    fix_description = (
        "No automatic fix: audit logs also need neptune_enable_audit_log in the parameter group."
    )
