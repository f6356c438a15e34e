"""VPCs without a flow log.

A VPC is an ``aws_vpc`` or the region's default VPC brought under management with
``aws_default_vpc`` (it carries traffic like any other VPC, and is where resources land when
no subnet is given). An ``aws_flow_log`` covers a VPC when its ``vpc_id`` refers to it: directly
(``aws_vpc.main.id``, any instance), through ``local`` values, through ``each.value`` of a
``for_each`` that lists VPCs, or by the literal id an ``import`` block gives the VPC.

Precision choice: a flow log whose ``vpc_id`` cannot be linked (a variable, a data source, a
module output, a literal id that no ``import`` block names) might cover any VPC of the module,
so its presence silences the rule for the whole module. Flow logs on subnets or network
interfaces do not cover the VPC.
"""

from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity, Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.resources import exists
from tfguard.syntax import Reference

VPC_TYPES = ("aws_vpc", "aws_default_vpc")


def _imported_ids(module: Module) -> dict[str, Entity]:
    """Literal ids given by ``import`` blocks → the VPC they import."""
    out: dict[str, Entity] = {}
    for entity in module.entities:
        if entity.kind != "import":
            continue
        to, id_attr = entity.attr("to"), entity.attr("id")
        if to is None or id_attr is None:
            continue
        targets = [t for t in module.targets(to.value) if t.type in VPC_TYPES]
        value = module.cached_value(id_attr.value)
        if len(targets) == 1 and isinstance(value, str):
            out[value] = targets[0]
    return out


def _covered(module: Module, flow_log: Entity, imported: dict[str, Entity]) -> list[Entity] | None:
    """The VPCs a flow log covers; None when its VPC cannot be determined."""
    attr = flow_log.attr("vpc_id")
    if attr is None:
        return []  # a subnet, interface or transit gateway flow log
    targets = expression_targets(module, attr.value)
    if any(isinstance(r, Reference) and r.root == "each" for r in attr.value.references()):
        for_each = flow_log.attr("for_each")
        if for_each is not None:
            targets += expression_targets(module, for_each.value)
    vpcs = [t for t in targets if t.type in VPC_TYPES]
    if vpcs:
        return vpcs
    value = module.cached_value(attr.value)
    if isinstance(value, str) and value in imported:
        return [imported[value]]
    return None


class VpcFlowLogs(Rule):
    id = "aws-vpc-flow-logs"
    title = "VPC has no flow log"
    severity = Severity.MEDIUM
    rationale = (
        "VPC flow logs record the accepted and rejected connections of every network interface "
        "in the VPC. Without them there is no record of which hosts talked to which addresses, "
        "so port scans, lateral movement and data exfiltration go unnoticed and an incident "
        "cannot be reconstructed afterwards."
    )
    remediation = (
        'Add an aws_flow_log with vpc_id = aws_vpc.<name>.id and traffic_type = "ALL" (or '
        'at least "REJECT"), delivering to a CloudWatch log group or an S3 bucket with a '
        "retention period."
    )
    links = (
        "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/flow_log",
    )
    aliases = (
        "CKV2_AWS_11",
        "AVD-AWS-0178",
        "AWS-0178",
        "aws-ec2-require-vpc-flow-logs-for-all-vpcs",
    )
    bad_example = """
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
"""
    good_example = """
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

# file: logging.tf
resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.flow_logs.arn
}
"""
    fix_description = (
        "No automatic fix: a flow log needs a destination (log group and IAM role, or a "
        "bucket) that the module must define."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        vpcs = [v for v in ctx.resources(*VPC_TYPES) if exists(module, v)]
        if not vpcs:
            return
        imported = _imported_ids(module)
        covered: set[str] = set()
        for flow_log in ctx.resources("aws_flow_log"):
            if not exists(module, flow_log):
                continue  # count = 0: the flow log is switched off
            found = _covered(module, flow_log, imported)
            if found is None:
                return  # a flow log for a VPC we cannot identify: it may cover any of them
            covered.update(v.address for v in found)
        for vpc in vpcs:
            if vpc.address in covered:
                continue
            yield ctx.report(
                vpc,
                vpc.block,
                f"{vpc.address} has no flow log: no aws_flow_log in this module refers to it",
                data={"vpc": vpc.address},
            )
