from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_bool

_DESTINATIONS = ("cloudwatch_logs", "firehose", "s3")


class MskLogging(Rule):
    id = "aws-msk-logging"
    title = "MSK cluster does not deliver its broker logs"
    severity = Severity.MEDIUM
    rationale = (
        "Broker logs record client connections, authentication failures and authorization "
        "errors. Without a logging_info.broker_logs destination that is enabled, attempts to "
        "reach topics without permission, or a client misbehaving, leave no trace outside "
        "the brokers."
    )
    remediation = (
        "Add logging_info { broker_logs { cloudwatch_logs { enabled = true log_group = ... } "
        "} } (or firehose / s3)."
    )
    links = (
        "https://docs.aws.amazon.com/msk/latest/developerguide/msk-logging.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/msk_cluster#logging_info",
    )
    aliases = ("CKV_AWS_80", "AVD-AWS-0074", "AWS-0074", "aws-msk-enable-logging")
    bad_example = """
resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = "kafka.m5.large"
    client_subnets  = ["subnet-0a1b2c3d", "subnet-4e5f6a7b", "subnet-8c9d0e1f"]
    security_groups = ["sg-0a1b2c3d4e5f"]
  }
}
"""
    good_example = """
resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = "kafka.m5.large"
    client_subnets  = ["subnet-0a1b2c3d", "subnet-4e5f6a7b", "subnet-8c9d0e1f"]
    security_groups = ["sg-0a1b2c3d4e5f"]
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.msk.name
      }
    }
  }
}
"""
    fix_description = "No automatic fix: broker logs need a destination to go to."

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for cluster in live(module, "aws_msk_cluster"):
            verdicts: list[object] = []
            for destination in _DESTINATIONS:
                path = f"logging_info.broker_logs.{destination}.enabled"
                for hit in lookup(module, cluster, path):
                    if hit.present:
                        verdicts.append(as_bool(hit.value))
            if True in verdicts or UNKNOWN in verdicts:
                continue
            holder = cluster.block.block("logging_info")
            yield ctx.report(
                cluster,
                holder if holder is not None else cluster.block,
                f"MSK cluster {cluster.address} delivers no broker logs",
            )
