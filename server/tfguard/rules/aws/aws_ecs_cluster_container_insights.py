from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import instance_evaluators, nested_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_string

ON = ("enabled", "enhanced")
SETTING_BLOCK = 'setting {\n  name  = "containerInsights"\n  value = "enabled"\n}'


def _account_default_on(module: Module) -> bool:
    """The module turns Container Insights on for every new cluster of the account."""
    for setting in live(module, "aws_ecs_account_setting_default"):
        name = as_string(module.attr_value(setting, "name"))
        value = as_string(module.attr_value(setting, "value"))
        if name == "containerInsights" and value is not UNKNOWN and str(value).lower() in ON:
            return True
        if name == "containerInsights" and value is UNKNOWN:
            return True  # cannot be known: stay silent
    return False


class EcsClusterContainerInsights(Rule):
    id = "aws-ecs-cluster-container-insights"
    title = "ECS cluster does not enable Container Insights"
    severity = Severity.LOW
    rationale = (
        "Without Container Insights an ECS cluster reports only cluster and service "
        "averages: a task that suddenly uses all its CPU or network (crypto-mining, data "
        "exfiltration) or restarts in a loop is invisible, and there is no per-task history "
        "to investigate afterwards."
    )
    remediation = (
        'Add setting { name = "containerInsights" value = "enabled" } (or "enhanced") to '
        "the cluster, or turn it on for the account with aws_ecs_account_setting_default."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_cluster#setting",
    )
    aliases = (
        "CKV_AWS_65",
        "AVD-AWS-0034",
        "AWS-0034",
        "aws-ecs-enable-container-insight",
    )
    bad_example = """
resource "aws_ecs_cluster" "main" {
  name = "main"
}
"""
    good_example = """
resource "aws_ecs_cluster" "main" {
  name = "main"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}
"""
    fix_description = (
        'Adds setting { name = "containerInsights" value = "enabled" }, or sets the value '
        "of a containerInsights setting written as disabled (CloudWatch bills the metrics)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        default_on = _account_default_on(module)
        for cluster in live(module, "aws_ecs_cluster"):
            if any(d.labels == ("setting",) for d in cluster.block.blocks_of("dynamic")):
                continue  # built from a variable
            evaluators = instance_evaluators(module, cluster)
            insights = [
                s
                for s in nested_rule_sets(module, cluster, "setting", evaluators)
                if s.get("name") == "containerInsights"
            ]
            if not insights:
                if not default_on:
                    yield ctx.report(
                        cluster,
                        cluster.block,
                        f"ECS cluster {cluster.address} does not enable Container Insights",
                        data={"missing": True},
                    )
                continue
            for setting in insights:
                value = as_string(setting.get("value"))
                if value is UNKNOWN or str(value).lower() in ON:
                    continue
                yield ctx.report(
                    cluster,
                    setting.anchor("value"),
                    f"ECS cluster {cluster.address} disables Container Insights",
                    data={"missing": False},
                )
                break

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        cluster = entity_for(module, finding)
        if cluster is None:
            return []
        editor = Editor(module)
        if finding.data.get("missing"):
            edit = editor.insert_block(cluster, cluster.block, SETTING_BLOCK)
        else:
            block = next(
                (
                    b
                    for b in cluster.block.blocks_of("setting")
                    if (v := b.attr("value")) is not None and cluster.abs(v.range) == finding.range
                ),
                None,
            )
            attr = block.attr("value") if block is not None else None
            if attr is None or as_string(module.cached_value(attr.value)) is UNKNOWN:
                return []
            if attr.value.references():
                return []
            edit = editor.replace_value(cluster, attr, '"enabled"')
        return [Fix("Enable Container Insights", (edit,), "safe")]
