from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import instance_evaluators, nested_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string


class DocdbTls(Rule):
    id = "aws-docdb-tls"
    title = "DocumentDB parameter group lets clients connect without TLS"
    severity = Severity.HIGH
    rationale = (
        'A cluster parameter group with tls = "disabled" accepts plaintext connections: '
        "queries, documents and the credentials of every client cross the network readable "
        "by anyone who can capture traffic in the VPC."
    )
    remediation = (
        'Set parameter { name = "tls" value = "enabled" } (or "tls1.2+") and connect clients '
        "with the Amazon RDS certificate bundle."
    )
    links = (
        "https://docs.aws.amazon.com/documentdb/latest/developerguide/security.encryption.ssl.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/docdb_cluster_parameter_group",
    )
    aliases = ("CKV_AWS_90",)
    bad_example = """
resource "aws_docdb_cluster_parameter_group" "catalog" {
  name   = "catalog"
  family = "docdb5.0"

  parameter {
    name  = "tls"
    value = "disabled"
  }
}
"""
    good_example = """
resource "aws_docdb_cluster_parameter_group" "catalog" {
  name   = "catalog"
  family = "docdb5.0"

  parameter {
    name  = "tls"
    value = "enabled"
  }
}
"""
    fix_description = (
        "No automatic fix: clients connecting without TLS must be changed first, or they stop "
        "working."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for group in live(module, "aws_docdb_cluster_parameter_group"):
            evaluators = instance_evaluators(module, group)
            for parameter in nested_rule_sets(module, group, "parameter", evaluators):
                if as_string(parameter.get("name")) != "tls":
                    continue
                if as_string(parameter.get("value")) == "disabled":
                    yield ctx.report(
                        group,
                        parameter.anchor("value"),
                        f"Parameter group {group.address} disables TLS: clients may connect "
                        "in plaintext",
                    )
                    break
