from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._support import live, nested_bool
from tfguard.rules.base import Context, Rule

AWS_MANAGED_KEY = "alias/aws/dynamodb"


class DynamodbTableCustomerKey(Rule):
    id = "aws-dynamodb-table-customer-key"
    title = "DynamoDB table is not encrypted with a customer-managed KMS key"
    severity = Severity.LOW
    rationale = (
        "DynamoDB always encrypts tables at rest; without server_side_encryption it uses an "
        "AWS owned key, and with enabled = true but no kms_key_arn the AWS managed key "
        "aws/dynamodb. Neither key's policy can be restricted or audited by you. A "
        "customer-managed key makes reading the table also depend on kms:Decrypt under a "
        "policy you control, logs every use in CloudTrail, and lets you cut off access by "
        "disabling the key."
    )
    remediation = (
        "Add server_side_encryption { enabled = true, kms_key_arn = aws_kms_key.x.arn } with a "
        "customer-managed key that has rotation on, for tables that hold sensitive data."
    )
    links = (
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#server_side_encryption",
    )
    aliases = ("CKV_AWS_119", "AVD-AWS-0025", "AWS-0025", "aws-dynamodb-table-customer-key")
    bad_example = """
resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
"""
    good_example = """
resource "aws_kms_key" "tables" {
  description         = "DynamoDB tables"
  enable_key_rotation = true
}

resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.tables.arn
  }
}
"""
    fix_description = (
        "No automatic fix: it needs a KMS key whose policy lets every user of the table use it."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for table in live(ctx.module, "aws_dynamodb_table"):
            sse = table.block.block("server_side_encryption")
            if sse is None:
                yield ctx.report(
                    table,
                    table.block,
                    f"DynamoDB table {table.address} is encrypted with an AWS owned key, not a "
                    "customer-managed KMS key",
                    data={"missing": True},
                )
                continue
            enabled = nested_bool(ctx.module, sse, "enabled", False)
            if enabled is False:
                attr = sse.attr("enabled")
                yield ctx.report(
                    table,
                    attr if attr is not None else sse,
                    f"DynamoDB table {table.address} turns server_side_encryption off: it is "
                    "encrypted with an AWS owned key, not a customer-managed KMS key",
                    data={"missing": False},
                )
                continue
            if enabled is not True:
                continue
            key_attr = sse.attr("kms_key_arn")
            if key_attr is None:
                yield ctx.report(
                    table,
                    sse,
                    f"DynamoDB table {table.address} enables server_side_encryption without "
                    f"kms_key_arn, i.e. with the AWS managed key {AWS_MANAGED_KEY}",
                    data={"missing": True, "attribute": "kms_key_arn"},
                )
                continue
            key = ctx.value(key_attr.value)
            if isinstance(key, str) and key.endswith(AWS_MANAGED_KEY):
                yield ctx.report(
                    table,
                    key_attr,
                    f"DynamoDB table {table.address} uses the AWS managed key {key}",
                    data={"attribute": "kms_key_arn"},
                )
