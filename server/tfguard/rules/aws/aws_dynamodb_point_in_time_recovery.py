from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class DynamodbPointInTimeRecovery(Check):
    id = "aws-dynamodb-point-in-time-recovery"
    title = "DynamoDB table cannot be restored to a point in time"
    severity = Severity.MEDIUM
    rationale = (
        "Point-in-time recovery keeps continuous backups of a table for up to 35 days. "
        "Without it, items overwritten or deleted by a bug, a bad migration or a compromised "
        "client are gone unless an on-demand backup happened to be taken just before."
    )
    remediation = "Add point_in_time_recovery { enabled = true }."
    links = (
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#point_in_time_recovery",
    )
    aliases = ("CKV_AWS_28", "AVD-AWS-0024", "AWS-0024", "aws-dynamodb-enable-recovery")
    bad_example = """
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
"""
    good_example = """
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}
"""
    resource_types = ("aws_dynamodb_table",)
    attribute = "point_in_time_recovery.enabled"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    message = "DynamoDB table {address} has point-in-time recovery off ({attribute} = {value})"
    missing_message = "DynamoDB table {address} does not enable point-in-time recovery"
    fix = SetValue("true", "Enable point-in-time recovery")
    fix_description = (
        "Adds or sets point_in_time_recovery.enabled = true (backup storage is billed)."
    )
