from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, TextEdit, attribute_at, block_at
from tfguard.module import Module
from tfguard.rules.aws._support import key_choices
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import Choice, is_literal
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool

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
        "Sets server_side_encryption { enabled = true, kms_key_arn = ... } (adding the block "
        "or the missing arguments) with the module's only aws_kms_key, else a new variable "
        "<table>_table_kms_key_arn declared in variables.tf without a default (a plan asks "
        "for it). DynamoDB switches the key in place, without replacing the table; the key "
        "policy must let every user of the table use it. Not offered when the value to "
        "change comes from a variable."
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
            enabled_attr = sse.attr("enabled")
            enabled = as_bool(ctx.value(enabled_attr.value)) if enabled_attr is not None else False
            if enabled is False:
                attr = sse.attr("enabled")
                yield ctx.report(
                    table,
                    attr if attr is not None else sse,
                    f"DynamoDB table {table.address} turns server_side_encryption off: it is "
                    "encrypted with an AWS owned key, not a customer-managed KMS key",
                    data={"missing": False, "attribute": "enabled"},
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

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        table = module.resources.get(str(finding.data.get("address")))
        if table is None:
            return []
        choices = key_choices(
            module,
            table,
            f"{table.name}_table_kms_key_arn",
            f"ARN of the customer-managed KMS key that encrypts {table.address}",
        )
        out: list[Fix] = []
        for choice in choices:
            edits = self._edits(finding, module, choice)
            if edits is None:
                return []
            title = f"Encrypt the table with {choice.label} (applied in place)"
            out.append(Fix(title, (*edits, *choice.edits), "safe"))
        return out

    def _edits(self, finding: Finding, module: Module, key: Choice) -> list[TextEdit] | None:
        editor = Editor(module)
        at = attribute_at(module, finding)
        if at is not None:
            entity, sse, attr = at
            if not is_literal(attr):
                return None
            if attr.name == "kms_key_arn":  # the AWS managed key
                return [editor.replace_value(entity, attr, key.expr)]
            edits = [editor.replace_value(entity, attr, "true")]  # enabled = false
            current = sse.attr("kms_key_arn")
            if current is None:
                return edits + editor.insert_attributes(entity, sse, [("kms_key_arn", key.expr)])
            if not is_literal(current):
                return None
            return [*edits, editor.replace_value(entity, current, key.expr)]
        header = block_at(module, finding)
        if header is None:
            return None
        entity, block = header
        if block is entity.block:  # no server_side_encryption block
            lines = ["enabled     = true", f"kms_key_arn = {key.expr}"]
            text = "\n".join(["server_side_encryption {", *(f"  {ln}" for ln in lines), "}"])
            return [editor.insert_block(entity, block, text)]
        items: list[tuple[str, str]] = []
        if finding.data.get("attribute") == "enabled":  # enabled left out
            items.append(("enabled", "true"))
        current = block.attr("kms_key_arn")
        if current is None:
            return editor.insert_attributes(entity, block, [*items, ("kms_key_arn", key.expr)])
        if not is_literal(current):
            return None
        edits = [editor.replace_value(entity, current, key.expr)]
        return edits + (editor.insert_attributes(entity, block, items) if items else [])
