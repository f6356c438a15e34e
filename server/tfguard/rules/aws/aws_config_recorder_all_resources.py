from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._checks import hit_of, rewrite_arguments
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import set_path_edits
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool, as_string

ALL_SUPPORTED = "recording_group.all_supported"
STRATEGY = "recording_group.recording_strategy.use_only"


class ConfigRecorderAllResources(Rule):
    id = "aws-config-recorder-all-resources"
    title = "AWS Config does not record every supported resource type"
    severity = Severity.MEDIUM
    rationale = (
        "AWS Config's history of resource configurations is what shows when a security "
        "group was opened, a bucket made public or a role changed, and what Config rules and "
        "Security Hub evaluate. A recorder limited to some resource types "
        "(all_supported = false, or an inclusion or exclusion strategy) leaves the others "
        "unrecorded, and a recorder whose status is_enabled = false records nothing at all."
    )
    remediation = (
        "Leave recording_group.all_supported at true (the default) without a "
        "recording_strategy that narrows it, and keep aws_config_configuration_recorder_status "
        "is_enabled = true; limit cost with the recording frequency instead of the types."
    )
    links = (
        "https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/config_configuration_recorder#all_supported",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/config_configuration_recorder_status#is_enabled",
    )
    aliases = ("CKV2_AWS_45",)
    bad_example = """
resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = aws_iam_role.config.arn

  recording_group {
    all_supported  = false
    resource_types = ["AWS::EC2::Instance"]
  }
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = false
  depends_on = [aws_config_delivery_channel.main]
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = aws_iam_role.config.arn

  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = true
  depends_on = [aws_config_delivery_channel.main]
}
"""
    fix_description = (
        "Sets is_enabled = true on a stopped recorder. For a recorder narrowed to some types, "
        "sets all_supported = true in place of resource_types: unsafe, as AWS Config then "
        "records (and bills) every type. A narrowing recording_strategy is left to the "
        "author."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for recorder in live(module, "aws_config_configuration_recorder"):
            for hit in lookup(module, recorder, ALL_SUPPORTED):
                if hit.present and as_bool(hit.value) is False:
                    yield ctx.report(
                        recorder,
                        hit.anchor,
                        f"AWS Config recorder {recorder.address} records only some resource "
                        "types (all_supported = false)",
                        data={"attribute": "all_supported"},
                    )
            for hit in lookup(module, recorder, STRATEGY):
                strategy = as_string(hit.value) if hit.present else None
                if isinstance(strategy, str) and strategy.upper().endswith("_BY_RESOURCE_TYPES"):
                    yield ctx.report(
                        recorder,
                        hit.anchor,
                        f"AWS Config recorder {recorder.address} records only some resource "
                        f"types (recording strategy {strategy})",
                        data={"attribute": "use_only"},
                    )
        for status in live(module, "aws_config_configuration_recorder_status"):
            for hit in lookup(module, status, "is_enabled"):
                if hit.present and as_bool(hit.value) is False:
                    yield ctx.report(
                        status,
                        hit.anchor,
                        f"AWS Config recorder status {status.address} stops the recorder "
                        "(is_enabled = false): no configuration change is recorded",
                        data={"attribute": "is_enabled"},
                    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if finding.data.get("attribute") == "all_supported":
            hit = hit_of(module, finding, ALL_SUPPORTED)
            if hit is None or hit.dynamic:
                return []
            # Recording every type takes the place of the resource_types list.
            changes = {"all_supported": "true", "resource_types": None}
            if "resource_types" not in hit.holder.attributes:
                changes = {"all_supported": "true"}
            edits = rewrite_arguments(module, hit.entity, hit.holder, changes)
            if not edits:
                return []
            return [
                Fix(
                    "Record every supported resource type",
                    tuple(edits),
                    "unsafe",
                    "AWS Config records and bills every resource type",
                )
            ]
        if finding.data.get("attribute") != "is_enabled":
            return []
        hit = hit_of(module, finding, "is_enabled")
        if hit is None:
            return []
        edits = set_path_edits(module, hit, "true")
        return [Fix("Start the AWS Config recorder", tuple(edits), "safe")] if edits else []
