from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import instance_evaluators, nested_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_bool, as_string


class OpensearchAuditLogs(Rule):
    id = "aws-opensearch-audit-logs"
    title = "OpenSearch domain does not publish audit logs"
    severity = Severity.MEDIUM
    rationale = (
        "Audit logs record authentication attempts and who read or changed which index: "
        "without a log_publishing_options block of log_type AUDIT_LOGS, unauthorised access "
        "to a search cluster, which often holds logs with personal data, cannot be detected "
        "or reconstructed. Slow logs and error logs do not record access."
    )
    remediation = (
        'Add log_publishing_options { log_type = "AUDIT_LOGS" cloudwatch_log_group_arn = '
        "<log group ARN> } (audit logs need fine-grained access control, and the log group "
        "a resource policy that lets OpenSearch write to it)."
    )
    links = (
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#log_publishing_options",
    )
    aliases = (
        "CKV_AWS_317",
        "CKV_AWS_84",
        "AVD-AWS-0042",
        "AWS-0042",
        "aws-elasticsearch-enable-domain-logging",
    )
    bad_example = """
resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  log_publishing_options {
    log_type                 = "INDEX_SLOW_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn
  }
}
"""
    good_example = """
resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  log_publishing_options {
    log_type                 = "AUDIT_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn
  }
}
"""
    fix_description = (
        "No automatic fix: audit logs need fine-grained access control and a log group that "
        "lets OpenSearch write to it."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for domain in live(module, "aws_opensearch_domain", "aws_elasticsearch_domain"):
            evaluators = instance_evaluators(module, domain)
            options = list(nested_rule_sets(module, domain, "log_publishing_options", evaluators))
            verdict: object = False
            for option in options:
                kind = as_string(option.get("log_type"))
                enabled = as_bool(option.get("enabled", True))  # aws 4.x-6.x: true
                if kind is UNKNOWN or (kind == "AUDIT_LOGS" and enabled is UNKNOWN):
                    verdict = UNKNOWN
                elif kind == "AUDIT_LOGS" and enabled is True:
                    verdict = True
                    break
            if verdict is not False:
                continue
            audit = next((o for o in options if as_string(o.get("log_type")) == "AUDIT_LOGS"), None)
            if audit is not None:
                yield ctx.report(
                    domain,
                    audit.anchor("enabled"),
                    f"OpenSearch domain {domain.address} switches its audit logs off",
                )
            else:
                yield ctx.report(
                    domain,
                    domain.block,
                    f"OpenSearch domain {domain.address} does not publish audit logs",
                )
