from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._checks import hit_of, rewrite_arguments
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.paths import lookup, nested_blocks
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_bool

SOURCES = ("account_aggregation_source", "organization_aggregation_source")


class ConfigAggregatorAllRegions(Rule):
    id = "aws-config-aggregator-all-regions"
    title = "AWS Config aggregator does not collect from every region"
    severity = Severity.LOW
    rationale = (
        "An aggregator that lists regions instead of all_regions = true has a blind spot in "
        "every other region, including regions enabled later: resources an attacker creates "
        "there (crypto-mining instances, exfiltration buckets) never appear in the "
        "organization's compliance view."
    )
    remediation = (
        "Set all_regions = true in account_aggregation_source or "
        "organization_aggregation_source (and remove regions, which it replaces)."
    )
    links = (
        "https://docs.aws.amazon.com/config/latest/developerguide/aggregate-data.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/config_configuration_aggregator#all_regions",
    )
    aliases = (
        "CKV_AWS_121",
        "AVD-AWS-0019",
        "AWS-0019",
        "aws-config-aggregate-all-regions",
    )
    bad_example = """
resource "aws_config_configuration_aggregator" "org" {
  name = "org"

  organization_aggregation_source {
    regions  = ["eu-west-1", "us-east-1"]
    role_arn = aws_iam_role.config_aggregator.arn
  }
}
"""
    good_example = """
resource "aws_config_configuration_aggregator" "org" {
  name = "org"

  organization_aggregation_source {
    all_regions = true
    role_arn    = aws_iam_role.config_aggregator.arn
  }
}
"""
    fix_description = (
        "Sets all_regions = true in the aggregation source, in place of its regions list "
        "(the two arguments conflict)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for aggregator in live(module, "aws_config_configuration_aggregator"):
            for source in SOURCES:
                if not nested_blocks(aggregator.block, source):
                    continue
                for hit in lookup(module, aggregator, f"{source}.all_regions"):
                    value = as_bool(hit.value) if hit.present else False
                    if value is UNKNOWN or value is True:
                        continue
                    yield ctx.report(
                        aggregator,
                        hit.anchor,
                        f"AWS Config aggregator {aggregator.address} collects only from the "
                        f"regions it lists ({source} without all_regions = true)",
                        data={"attribute": f"{source}.all_regions"},
                    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        path = finding.data.get("attribute")
        if not isinstance(path, str):
            return []
        hit = hit_of(module, finding, path)
        if hit is None or hit.dynamic:
            return []
        # all_regions replaces a regions list (the two conflict).
        changes: dict[str, str | None] = {"all_regions": "true"}
        if "regions" in hit.holder.attributes:
            changes = {"regions": None, "all_regions": "true"}
        edits = rewrite_arguments(module, hit.entity, hit.holder, changes)
        if not edits:
            return []
        return [Fix("Aggregate from every region", tuple(edits), "safe")]
