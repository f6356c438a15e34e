from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.resources import live


def _logged_elsewhere(module: Module) -> tuple[set[int], bool]:
    """Clusters an aws_redshift_logging resource logs; and whether every such resource's
    cluster could be identified."""
    out: set[int] = set()
    complete = True
    for logging in live(module, "aws_redshift_logging"):
        attr = logging.attr("cluster_identifier")
        targets = [
            t
            for t in expression_targets(module, attr.value if attr is not None else None)
            if t.type == "aws_redshift_cluster"
        ]
        if targets:
            out.update(id(t) for t in targets)
        else:
            complete = False
    return out, complete


class RedshiftLogging(Check):
    id = "aws-redshift-logging"
    title = "Redshift cluster does not write audit logs"
    severity = Severity.MEDIUM
    rationale = (
        "Redshift audit logging records connections, user changes and (with "
        "enable_user_activity_logging) every query. Without it, who connected to the warehouse "
        "and which data they queried cannot be established after a leak or misuse."
    )
    remediation = (
        "Add an aws_redshift_logging resource for the cluster (provider 5.x and later; the "
        'logging block is deprecated) with log_destination_type = "cloudwatch" or an S3 bucket.'
    )
    links = (
        "https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_logging",
    )
    aliases = ("CKV_AWS_71",)
    bad_example = """
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
}
"""
    good_example = """
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
}

resource "aws_redshift_logging" "warehouse" {
  cluster_identifier   = aws_redshift_cluster.warehouse.cluster_identifier
  log_destination_type = "cloudwatch"
  log_exports          = ["connectionlog", "userlog", "useractivitylog"]
}
"""
    resource_types = ("aws_redshift_cluster",)
    attribute = "logging.enable"
    condition = Equals(True)
    default = False
    message = "Redshift cluster {address} switches audit logging off ({attribute} = {value})"
    missing_message = "Redshift cluster {address} does not write audit logs"
    fix_description = "No automatic fix: audit logs need a destination (a bucket or CloudWatch)."

    def subjects(self, module: Module) -> Iterable[Entity]:
        logged, complete = _logged_elsewhere(module)
        if not complete:
            return []  # an aws_redshift_logging for a cluster we cannot identify
        return [c for c in live(module, *self.resource_types) if id(c) not in logged]
