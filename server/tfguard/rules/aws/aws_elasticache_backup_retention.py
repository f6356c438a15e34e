from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Absent, AtLeast, NotEquals
from tfguard.rules.kit.declarative import Check, SetValue, When


class ElasticacheBackupRetention(Check):
    id = "aws-elasticache-backup-retention"
    title = "ElastiCache cluster keeps no automatic backups"
    severity = Severity.LOW
    rationale = (
        "snapshot_retention_limit defaults to 0: no automatic snapshots are taken, so data "
        "kept only in Redis or Valkey (sessions, queues, counters, a primary store) is lost "
        "with the cluster or after a bad FLUSHALL, with nothing to restore."
    )
    remediation = "Set snapshot_retention_limit to 1 or more (days of automatic snapshots)."
    links = (
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_cluster#snapshot_retention_limit",
    )
    aliases = (
        "CKV_AWS_134",
        "AVD-AWS-0050",
        "AWS-0050",
        "aws-elasticache-enable-backup-retention",
    )
    bad_example = """
resource "aws_elasticache_cluster" "cache" {
  cluster_id      = "cache"
  engine          = "redis"
  node_type       = "cache.t4g.small"
  num_cache_nodes = 1
}
"""
    good_example = """
resource "aws_elasticache_cluster" "cache" {
  cluster_id               = "cache"
  engine                   = "redis"
  node_type                = "cache.t4g.small"
  num_cache_nodes          = 1
  snapshot_retention_limit = 7
}

resource "aws_elasticache_cluster" "memcached" {
  cluster_id      = "memcached"
  engine          = "memcached"
  node_type       = "cache.t4g.small"
  num_cache_nodes = 2
}
"""
    resource_types = ("aws_elasticache_cluster",)
    attribute = "snapshot_retention_limit"
    condition = AtLeast(1)
    default = 0  # aws 4.x-6.x: 0 (no snapshots)
    # Memcached has no snapshots; a cluster in a replication group takes the group's.
    only_if = (
        When("engine", NotEquals("memcached"), "redis"),
        When("replication_group_id", Absent()),
    )
    message = "ElastiCache cluster {address} keeps {value} days of automatic snapshots"
    missing_message = "ElastiCache cluster {address} takes no automatic snapshots"
    fix = SetValue("7", "Keep 7 days of automatic snapshots")
    fix_description = "Adds or sets snapshot_retention_limit = 7 (snapshot storage is billed)."
