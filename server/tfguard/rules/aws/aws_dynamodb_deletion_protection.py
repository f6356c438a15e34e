from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class DynamodbDeletionProtection(Check):
    id = "aws-dynamodb-deletion-protection"
    title = "DynamoDB table can be deleted without disabling deletion protection"
    severity = Severity.LOW
    rationale = (
        "A table is deleted with all its items by one API call or one terraform destroy (a "
        "renamed resource, a removed module). Deletion protection turns that into a "
        "deliberate two-step change; point-in-time recovery does not bring back a deleted "
        "table unless its backups were kept."
    )
    remediation = "Set deletion_protection_enabled = true on tables that hold data."
    links = (
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#deletion_protection_enabled",
    )
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
  name                        = "orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = true

  attribute {
    name = "id"
    type = "S"
  }
}
"""
    resource_types = ("aws_dynamodb_table",)
    attribute = "deletion_protection_enabled"
    condition = Equals(True)
    default = False  # aws 5.x-6.x: false
    message = "DynamoDB table {address} has deletion protection off ({attribute} = {value})"
    missing_message = "DynamoDB table {address} does not enable deletion protection"
    fix = SetValue("true", "Enable deletion protection")
    fix_description = (
        "Sets deletion_protection_enabled = true (a later terraform destroy must switch it off "
        "first)."
    )
