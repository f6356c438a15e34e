from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import instance_evaluators, nested_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool, as_string


class RedshiftRequireSsl(Rule):
    id = "aws-redshift-require-ssl"
    title = "Redshift parameter group allows unencrypted connections"
    severity = Severity.MEDIUM
    rationale = (
        'A parameter group with require_ssl = "false" lets clients connect to the warehouse '
        "without TLS: queries, their results and the database credentials cross the network "
        "in clear text. (Parameter groups created since January 2025 require TLS unless told "
        "otherwise, so only an explicit false is reported.)"
    )
    remediation = 'Set parameter { name = "require_ssl" value = "true" } in the parameter group.'
    links = (
        "https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_parameter_group",
    )
    aliases = ("CKV_AWS_105",)
    bad_example = """
resource "aws_redshift_parameter_group" "warehouse" {
  name   = "warehouse"
  family = "redshift-1.0"

  parameter {
    name  = "require_ssl"
    value = "false"
  }
}
"""
    good_example = """
resource "aws_redshift_parameter_group" "warehouse" {
  name   = "warehouse"
  family = "redshift-1.0"

  parameter {
    name  = "require_ssl"
    value = "true"
  }
}
"""
    fix_description = (
        "No automatic fix: clients that connect without TLS must be changed first, or they "
        "stop working."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for group in live(module, "aws_redshift_parameter_group"):
            evaluators = instance_evaluators(module, group)
            for parameter in nested_rule_sets(module, group, "parameter", evaluators):
                if as_string(parameter.get("name")) != "require_ssl":
                    continue
                if as_bool(parameter.get("value")) is False:
                    yield ctx.report(
                        group,
                        parameter.anchor("value"),
                        f"Parameter group {group.address} sets require_ssl = false: clients "
                        "may connect without TLS",
                    )
                    break
