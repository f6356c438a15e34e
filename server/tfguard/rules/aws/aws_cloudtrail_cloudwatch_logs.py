from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class CloudtrailCloudwatchLogs(Check):
    id = "aws-cloudtrail-cloudwatch-logs"
    title = "CloudTrail trail does not deliver its events to CloudWatch Logs"
    severity = Severity.LOW
    rationale = (
        "A trail that only writes to S3 cannot drive the CloudWatch metric filters and alarms "
        "that the CIS benchmark expects (root account use, console logins without MFA, IAM "
        "and security group changes, CloudTrail being stopped): suspicious API activity is "
        "found only when someone queries the bucket, usually after the damage."
    )
    remediation = (
        'Set cloud_watch_logs_group_arn ("${aws_cloudwatch_log_group.trail.arn}:*") and '
        "cloud_watch_logs_role_arn (a role CloudTrail can assume with logs:CreateLogStream "
        "and logs:PutLogEvents), then add metric filters and alarms on the log group."
    )
    links = (
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#cloud_watch_logs_group_arn",
    )
    aliases = (
        "CKV2_AWS_10",
        "AVD-AWS-0162",
        "AWS-0162",
        "aws-cloudtrail-ensure-cloudwatch-integration",
    )
    bad_example = """
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-cloudtrail-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}
"""
    good_example = """
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-cloudtrail-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail_to_logs.arn
}
"""
    resource_types = ("aws_cloudtrail",)
    attribute = "cloud_watch_logs_group_arn"
    condition = NotEmpty()
    message = "CloudTrail {address} sets an empty cloud_watch_logs_group_arn"
    missing_message = (
        "CloudTrail {address} does not deliver its events to CloudWatch Logs: no alarm can "
        "watch them"
    )
    fix_description = (
        "No automatic fix: delivery needs a log group and an IAM role that CloudTrail can "
        "assume, which the module has to define."
    )
