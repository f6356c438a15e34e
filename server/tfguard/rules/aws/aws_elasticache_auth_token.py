from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._support import primary_replication_groups
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.values import as_bool

_AUTH = ("auth_token", "auth_token_wo", "user_group_ids")


class ElasticacheAuthToken(Rule):
    id = "aws-elasticache-auth-token"
    title = "ElastiCache replication group accepts clients without authentication"
    severity = Severity.MEDIUM
    rationale = (
        "A Redis or Valkey replication group without an AUTH token or RBAC user groups "
        "accepts every client that can reach its port: any workload in the VPC (or a "
        "compromised one) can read every key, write data and run commands such as FLUSHALL. "
        "Encryption in transit protects the traffic but authenticates nobody."
    )
    remediation = (
        "Set auth_token_wo (Terraform 1.11+; or auth_token) from a secret store, or "
        "user_group_ids with ElastiCache RBAC users; both need transit_encryption_enabled."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#auth_token",
    )
    aliases = ("CKV_AWS_31",)
    bad_example = """
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "Session store"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
}
"""
    good_example = """
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "Session store"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  user_group_ids             = [aws_elasticache_user_group.app.id]
}
"""
    fix_description = (
        "No automatic fix: the token must come from a secret store (or users be created), "
        "and clients must start sending it."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for group in primary_replication_groups(module):
            engine = module.attr_value(group, "engine", "redis")
            if engine == "memcached":
                continue
            # Without encryption in transit AUTH is impossible:
            # aws-elasticache-encryption-in-transit reports that first.
            if as_bool(module.attr_value(group, "transit_encryption_enabled", False)) is not True:
                continue
            if any(group.attr(name) is not None for name in _AUTH):
                continue
            yield ctx.report(
                group,
                group.block,
                f"ElastiCache replication group {group.address} has no AUTH token and no "
                "user groups: any client that reaches it is let in",
            )
