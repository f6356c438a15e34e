from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._network import SG_TYPES, open_ingress_by_group
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit.fixing import set_value_fix
from tfguard.rules.kit.instances import instance_evaluators
from tfguard.rules.kit.values import as_bool

TYPES = ("aws_db_instance", "aws_rds_cluster_instance")


def _security_groups(ctx: Context, db: Entity) -> list[Entity]:
    """The security groups of an instance; a cluster instance uses its cluster's."""
    holders = [db]
    if db.type == "aws_rds_cluster_instance":
        cluster = db.attr("cluster_identifier")
        holders = [
            c
            for c in ctx.module.targets(cluster.value if cluster else None)
            if c.type == "aws_rds_cluster"
        ]
    out: list[Entity] = []
    for holder in holders:
        attr = holder.attr("vpc_security_group_ids")
        for sg in ctx.module.targets(attr.value if attr else None):
            if sg.type in SG_TYPES and sg not in out:
                out.append(sg)
    return out


class RdsNoPublicAccess(Rule):
    id = "aws-rds-no-public-access"
    title = "RDS database instance is publicly accessible"
    severity = Severity.HIGH
    rationale = (
        "publicly_accessible = true gives the database instance a DNS name that resolves to a "
        "public IP address, so the database port is one security group rule away from the "
        "internet, where database ports are scanned and brute-forced constantly. Databases "
        "belong in private subnets, reached from the application tier only. The finding is "
        "critical when a security group of the instance also admits the internet."
    )
    remediation = (
        "Set publicly_accessible = false (the default), place the instance in private "
        "subnets through its DB subnet group, and reach it for administration through a "
        "bastion, SSM port forwarding or a VPN."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#publicly_accessible",
    )
    aliases = (
        "CKV_AWS_17",
        "AVD-AWS-0082",
        "AWS-0082",
        "aws-rds-no-public-db-access",
        "AVD-AWS-0180",
        "AWS-0180",
    )
    bad_example = """
resource "aws_db_instance" "app" {
  identifier          = "app"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  publicly_accessible = true
}
"""
    good_example = """
resource "aws_db_instance" "app" {
  identifier           = "app"
  engine               = "postgres"
  instance_class       = "db.t4g.micro"
  allocated_storage    = 20
  db_subnet_group_name = aws_db_subnet_group.private.name
  publicly_accessible  = false
}
"""
    fix_description = (
        "Sets publicly_accessible = false"
        " (offered when the value is written in place, not taken from a variable). Unsafe "
        "(tfguard fix --unsafe-fixes): clients that connect over the internet lose access."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        open_groups: dict[str, list[str]] | None = None
        for db in ctx.resources(*TYPES):
            attr = db.attr("publicly_accessible")
            if attr is None:
                continue
            if not any(
                (as_bool(e.eval(attr.value)) is True) for e in instance_evaluators(ctx.module, db)
            ):
                continue
            if open_groups is None:
                open_groups = {
                    address: [cidr for _rule, cidr, _span in rules]
                    for address, rules in open_ingress_by_group(ctx.module).items()
                }
            related: list[tuple[Entity, Anchor, str]] = []
            for sg in _security_groups(ctx, db):
                if sg.address in open_groups:
                    cidrs = ", ".join(dict.fromkeys(open_groups[sg.address]))
                    related.append(
                        (sg, sg.block, f"the security group {sg.address} admits {cidrs}")
                    )
            message = f"{db.address} is publicly accessible (publicly_accessible = true)"
            if related:
                message += " and a security group of the instance admits the whole internet"
            yield ctx.report(
                db,
                attr,
                message,
                severity=Severity.CRITICAL if related else self.severity,
                related=related,
                data={"attribute": "publicly_accessible"},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_value_fix(
            module,
            finding,
            "Make the database private",
            "publicly_accessible",
            False,
            applicability="unsafe",
            consequence="clients that connect over the internet lose access",
        )
