from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._support import primary_replication_groups
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.values import UNKNOWN, Value


class ElasticacheEncryptionAtRest(Check):
    id = "aws-elasticache-encryption-at-rest"
    title = "ElastiCache replication group does not encrypt data at rest"
    severity = Severity.MEDIUM
    rationale = (
        "For the redis engine, at_rest_encryption_enabled defaults to false: data that a node "
        "writes to disk during synchronisation, swaps and backups, and the snapshots kept in "
        "S3, are stored unencrypted. Caches often hold session tokens and copies of database "
        "rows. (The valkey engine encrypts at rest by default.)"
    )
    remediation = (
        "Set at_rest_encryption_enabled = true, with kms_key_id for a customer-managed key. "
        "It can only be chosen at creation: an existing group is replaced (restore it from a "
        "backup into an encrypted group)."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#at_rest_encryption_enabled",
    )
    aliases = (
        "CKV_AWS_29",
        "AVD-AWS-0045",
        "AWS-0045",
        "aws-elasticache-enable-at-rest-encryption",
    )
    bad_example = """
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "Session store"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  transit_encryption_enabled = true
}
"""
    good_example = """
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "Session store"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
}

resource "aws_elasticache_replication_group" "queue" {
  replication_group_id       = "queue"
  description                = "Job queue"
  engine                     = "valkey"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  transit_encryption_enabled = true
}
"""
    fix_description = (
        "No automatic fix: enabling encryption at rest replaces the replication group."
    )
    resource_types = ("aws_elasticache_replication_group",)
    attribute = "at_rest_encryption_enabled"
    condition = Equals(True)
    message = "ElastiCache replication group {address} disables encryption at rest"
    missing_message = (
        "ElastiCache replication group {address} does not set at_rest_encryption_enabled = "
        "true (the redis engine defaults to false)"
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        return primary_replication_groups(module)

    def default_for(self, module: Module, entity: Entity) -> Value:
        # redis defaults to false; valkey encrypts by default; an unreadable engine is silent.
        engine = module.attr_value(entity, "engine", "redis")
        return False if engine == "redis" else UNKNOWN
