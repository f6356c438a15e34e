from __future__ import annotations

from typing import Any

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.base import Anchor
from tfguard.rules.kit.conditions import AnyOf, AtLeast, Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.paths import Hit

# Resources whose records are the security audit trail when they write into a log group.
AUDIT_WRITERS = {"aws_flow_log": "VPC flow logs", "aws_cloudtrail": "CloudTrail events"}


def audit_writers(module: Module, group: Entity) -> list[Entity]:
    """The flow logs and trails that deliver into a log group (by reference)."""
    return [
        e
        for e, _ in module.referrers.get(group.address, [])
        if e.kind == "resource" and e.type in AUDIT_WRITERS
    ]


class CloudwatchLogGroupRetention(Check):
    id = "aws-cloudwatch-log-group-retention"
    title = "CloudWatch log group deletes its logs in less than a year"
    severity = Severity.MEDIUM
    rationale = (
        "Intrusions are typically discovered weeks or months after they start; an "
        "investigation then needs the logs of the whole period. A retention_in_days below "
        "365 deletes them before that, and PCI DSS (10.5.1) and many audit regimes require a "
        "year. A group that receives VPC flow logs or CloudTrail events is reported as "
        "medium, other groups as low. Leaving retention_in_days out (or 0) keeps the logs "
        "forever, which passes."
    )
    remediation = (
        "Set retention_in_days to 365 or more (400, 545, 731, ... 3653), or export older logs "
        "to S3 with a lifecycle rule that keeps them for a year."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_group#retention_in_days",
    )
    aliases = ("CKV_AWS_338",)
    bad_example = """
resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/vpc/main/flow-logs"
  retention_in_days = 30
}

resource "aws_flow_log" "main" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn    = aws_iam_role.flow_logs.arn
}
"""
    good_example = """
resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/vpc/main/flow-logs"
  retention_in_days = 400
}

resource "aws_cloudwatch_log_group" "archive" {
  name = "/audit/archive"
}
"""
    resource_types = ("aws_cloudwatch_log_group",)
    attribute = "retention_in_days"
    # 0 (or leaving it out) means "never expire".
    condition = AnyOf(Equals(0), AtLeast(365))
    default = 0  # aws provider 4.x-6.x: never expire
    message = "CloudWatch log group {address} keeps {what} for {value} days only"
    fix = SetValue("365", "Keep the logs of {address} for a year")
    fix_description = (
        "Sets retention_in_days = 365 (an in-place change; CloudWatch Logs bills the stored "
        "volume). Not offered when the value comes from a variable or a local."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        kinds = sorted({AUDIT_WRITERS[e.type] for e in audit_writers(module, entity)})
        return {"what": " and ".join(kinds) if kinds else "its logs"}

    def severity_for(self, module: Module, entity: Entity, hit: Hit) -> Severity | None:
        return Severity.MEDIUM if audit_writers(module, entity) else Severity.LOW

    def related_for(
        self, module: Module, entity: Entity, hit: Hit
    ) -> list[tuple[Entity, Anchor, str]]:
        return [
            (e, e.block, f"{e.address} delivers {AUDIT_WRITERS[e.type]} into this log group")
            for e in audit_writers(module, entity)
        ]
