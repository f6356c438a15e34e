from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._checks import downgraded
from tfguard.rules.aws._rds import CLUSTER, CLUSTER_INSTANCE, INSTANCE, KINDS
from tfguard.rules.aws._support import key_argument_fixes
from tfguard.rules.kit.conditions import Equals, NotEmpty
from tfguard.rules.kit.declarative import Check, When
from tfguard.rules.kit.resources import live


class RdsPerformanceInsightsCustomerKey(Check):
    id = "aws-rds-performance-insights-customer-key"
    title = "Performance Insights data is not encrypted with a customer-managed KMS key"
    severity = Severity.LOW
    rationale = (
        "Performance Insights stores the text of the queries a database runs, which often "
        "contains personal data, tokens or literal passwords. Without "
        "performance_insights_kms_key_id it is encrypted with the AWS-managed aws/rds key, "
        "which every principal allowed to use RDS in the account can decrypt through the "
        "service; a customer-managed key lets its key policy decide who can read it and logs "
        "each use."
    )
    remediation = (
        "Set performance_insights_kms_key_id to the ARN of a customer-managed aws_kms_key "
        "when enabling Performance Insights (the key cannot be changed afterwards without "
        "turning Performance Insights off and on again)."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.cmk-policy.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#performance_insights_kms_key_id",
    )
    aliases = (
        "CKV_AWS_354",
        "AVD-AWS-0078",
        "AWS-0078",
        "aws-rds-performance-insights-encryption-customer-key",
    )
    bad_example = """
resource "aws_db_instance" "orders" {
  identifier                   = "orders"
  engine                       = "postgres"
  instance_class               = "db.m6g.large"
  allocated_storage            = 100
  username                     = "orders"
  manage_master_user_password  = true
  performance_insights_enabled = true
}
"""
    good_example = """
resource "aws_db_instance" "orders" {
  identifier                      = "orders"
  engine                          = "postgres"
  instance_class                  = "db.m6g.large"
  allocated_storage               = 100
  username                        = "orders"
  manage_master_user_password     = true
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.rds.arn
}
"""
    resource_types = (INSTANCE, CLUSTER_INSTANCE, CLUSTER)
    attribute = "performance_insights_kms_key_id"
    condition = NotEmpty()
    only_if = (When("performance_insights_enabled", Equals(True), False),)
    message = "{kind} {address} sets an empty performance_insights_kms_key_id"
    missing_message = (
        "{kind} {address} encrypts Performance Insights data with the AWS-managed aws/rds key"
    )
    fix_description = (
        "Sets performance_insights_kms_key_id to the module's only aws_kms_key, else to a new "
        "variable <name>_performance_insights_kms_key_arn declared without a default. "
        "Offered, not applied unattended: AWS does not change the key of Performance "
        "Insights that is already on."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return downgraded(
            key_argument_fixes(
                module,
                finding,
                "performance_insights_kms_key_id",
                "{name}_performance_insights_kms_key_arn",
                "ARN of the customer-managed KMS key that encrypts the Performance Insights "
                "data of {address}",
                "Encrypt Performance Insights data with {key}",
            ),
            "unsafe",
            "AWS refuses a new key while Performance Insights is on",
        )


def _subjects(module: Module) -> Iterator[Entity]:
    yield from live(module, INSTANCE, CLUSTER_INSTANCE, CLUSTER)
