from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Range, Severity
from tfguard.fixes import Fix, TextEdit, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import literal_string
from tfguard.rules.kit.instances import resource_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import known_strings
from tfguard.syntax import Attribute, Expr, TupleExpr

SNAPSHOT_TYPES = ("aws_db_snapshot", "aws_db_cluster_snapshot", "aws_db_snapshot_copy")
ARGUMENT = "shared_accounts"


def _is_all(text: str) -> bool:
    return text.strip().lower() == "all"


class RdsSnapshotNotPublic(Rule):
    id = "aws-rds-snapshot-not-public"
    title = "RDS snapshot is shared with every AWS account"
    severity = Severity.CRITICAL
    rationale = (
        'shared_accounts = ["all"] makes a database snapshot public: any AWS account can '
        "list it, copy it and restore a full copy of the database, with every table, user "
        "hash and stored secret, outside your control and without any trace in your "
        "account. Public RDS snapshots are a recurring cause of large data breaches."
    )
    remediation = (
        'Remove "all" from shared_accounts and list only the account IDs that need the '
        "snapshot (a backup or analytics account), encrypting it with a customer-managed key "
        "whose policy grants those accounts access."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_snapshot#shared_accounts",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_cluster_snapshot#shared_accounts",
    )
    aliases = ("CKV_AWS_302",)
    bad_example = """
resource "aws_db_snapshot" "orders" {
  db_instance_identifier = aws_db_instance.orders.identifier
  db_snapshot_identifier = "orders-before-migration"
  shared_accounts        = ["all"]
}
"""
    good_example = """
resource "aws_db_snapshot" "orders" {
  db_instance_identifier = aws_db_instance.orders.identifier
  db_snapshot_identifier = "orders-before-migration"
  shared_accounts        = ["111122223333"]
}
"""
    fix_description = (
        'Removes "all" from a shared_accounts list written in place (the accounts listed '
        "beside it keep their access). Offered, not applied unattended: a snapshot published "
        "on purpose stops being public."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, *SNAPSHOT_TYPES):
            attr = entity.attr(ARGUMENT)
            if attr is None:
                continue
            for rule_set in resource_rule_sets(module, entity):
                accounts, _ = known_strings(rule_set.get(ARGUMENT))
                if any(_is_all(a) for a in accounts):
                    yield ctx.report(
                        entity,
                        _anchor(attr),
                        f"Snapshot {entity.address} is public: shared_accounts includes "
                        '"all", so any AWS account can restore it',
                    )
                    break

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        entity = entity_for(module, finding)
        if entity is None:
            return []
        attr = entity.attr(ARGUMENT)
        if attr is None or not isinstance(attr.value, TupleExpr):
            return []
        edit = _without_all(entity, attr)
        if edit is None:
            return []
        return [
            Fix(
                "Stop sharing the snapshot with every account",
                (edit,),
                "unsafe",
                "a snapshot published on purpose stops being public",
            )
        ]


def _anchor(attr: Attribute) -> Attribute | Expr:
    if isinstance(attr.value, TupleExpr):
        for item in attr.value.items:
            text = literal_string(item)
            if text is not None and _is_all(text):
                return item
    return attr


def _without_all(entity: Entity, attr: Attribute) -> TextEdit | None:
    assert isinstance(attr.value, TupleExpr)
    items = attr.value.items
    kept = [i for i in items if not _is_all(literal_string(i) or "")]
    if len(kept) == len(items):
        return None
    text = "[" + ", ".join(i.text for i in kept) + "]"
    span: Range = entity.abs(attr.value.range)
    return TextEdit(entity.path, span, text)
