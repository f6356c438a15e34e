from __future__ import annotations

from collections.abc import Iterable, Iterator

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._rds import AURORA_MYSQL, CLUSTER, clusters, engine
from tfguard.rules.kit.conditions import AtLeast
from tfguard.rules.kit.declarative import Check, SetValue


class RdsAuroraBacktracking(Check):
    id = "aws-rds-aurora-backtracking"
    title = "Aurora MySQL cluster cannot be backtracked"
    severity = Severity.LOW
    rationale = (
        "Backtracking rewinds an Aurora MySQL cluster to a point in time within minutes, in "
        "place, without restoring a new cluster from backups. After a destructive statement, "
        "a bad migration or an attacker's deletes it limits the outage to the rewind; "
        "without it (backtrack_window = 0, the default) recovery is a point-in-time restore "
        "to a new cluster and a cut-over."
    )
    remediation = (
        "Set backtrack_window (in seconds, up to 259200 = 72 hours) when the cluster is "
        "created or restored; backtracking cannot be turned on later for a cluster created "
        "without it."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#backtrack_window",
    )
    aliases = ("CKV_AWS_326",)
    bad_example = """
resource "aws_rds_cluster" "shop" {
  cluster_identifier          = "shop"
  engine                      = "aurora-mysql"
  master_username             = "admin"
  manage_master_user_password = true
}
"""
    good_example = """
resource "aws_rds_cluster" "shop" {
  cluster_identifier          = "shop"
  engine                      = "aurora-mysql"
  master_username             = "admin"
  manage_master_user_password = true
  backtrack_window            = 86400
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  master_username             = "ledger"
  manage_master_user_password = true
}
"""
    resource_types = (CLUSTER,)
    attribute = "backtrack_window"
    condition = AtLeast(1)
    default = 0  # aws provider 4.x-6.x: backtracking off
    message = "Aurora MySQL cluster {address} sets backtrack_window = {value}: backtracking is off"
    missing_message = (
        "Aurora MySQL cluster {address} does not set backtrack_window: it cannot be rewound "
        "in place"
    )
    fix = SetValue(
        "86400",
        "Keep 24 hours of backtrack history for {address}",
        applicability="unsafe",
        consequence="AWS accepts it only for a cluster created with backtracking",
    )
    fix_description = (
        "Sets backtrack_window = 86400 (24 hours). AWS accepts it only for a cluster created "
        "or restored with backtracking, so the fix is offered for new clusters and never "
        "applied unattended."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)


def _subjects(module: Module) -> Iterator[Entity]:
    for entity in clusters(module):
        # Backtracking is an Aurora MySQL feature; a global database's members do not have it.
        if (
            engine(module, entity) in AURORA_MYSQL
            and entity.attr("global_cluster_identifier") is None
        ):
            yield entity
