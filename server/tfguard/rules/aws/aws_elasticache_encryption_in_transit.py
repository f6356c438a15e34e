from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._support import primary_replication_groups
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check


class ElasticacheEncryptionInTransit(Check):
    id = "aws-elasticache-encryption-in-transit"
    title = "ElastiCache replication group accepts unencrypted connections"
    severity = Severity.MEDIUM
    rationale = (
        "transit_encryption_enabled defaults to false: clients talk to the cache, and nodes "
        "replicate to each other, in plain text, so anyone who can capture traffic in the "
        "VPC reads the cached data and the AUTH token. An AUTH token (and RBAC) can only be "
        "used once transit encryption is on."
    )
    remediation = (
        "Set transit_encryption_enabled = true and have clients connect with TLS. On an "
        "existing group (engine 7.0.5 or later) migrate with transit_encryption_mode = "
        '"preferred" first, then "required" once every client uses TLS.'
    )
    links = (
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#transit_encryption_enabled",
    )
    aliases = (
        "CKV_AWS_30",
        "AVD-AWS-0051",
        "AWS-0051",
        "aws-elasticache-enable-in-transit-encryption",
    )
    bad_example = """
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "Session store"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
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
"""
    fix_description = (
        "No automatic fix: clients must switch to TLS first, or they lose their connections."
    )
    resource_types = ("aws_elasticache_replication_group",)
    attribute = "transit_encryption_enabled"
    condition = Equals(True)
    default = False
    message = "ElastiCache replication group {address} disables encryption in transit"
    missing_message = (
        "ElastiCache replication group {address} does not set transit_encryption_enabled = "
        "true: clients and replicas talk in plain text"
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        return primary_replication_groups(module)
