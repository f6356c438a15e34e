from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check


class NeptuneEncryption(Check):
    id = "aws-neptune-encryption"
    title = "Neptune cluster stores its data unencrypted"
    severity = Severity.HIGH
    rationale = (
        "storage_encrypted defaults to false: the graph's storage, backups, snapshots and "
        "replicas are unencrypted at rest, and an existing cluster cannot be encrypted in "
        "place (its data has to be restored into a new cluster)."
    )
    remediation = "Set storage_encrypted = true (with kms_key_arn for a customer-managed key)."
    links = (
        "https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/neptune_cluster#storage_encrypted",
    )
    aliases = (
        "CKV_AWS_44",
        "AVD-AWS-0076",
        "AWS-0076",
        "aws-neptune-enable-storage-encryption",
    )
    bad_example = """
resource "aws_neptune_cluster" "graph" {
  cluster_identifier = "graph"
  engine             = "neptune"
}
"""
    good_example = """
resource "aws_neptune_cluster" "graph" {
  cluster_identifier = "graph"
  engine             = "neptune"
  storage_encrypted  = true
}
"""
    resource_types = ("aws_neptune_cluster",)
    attribute = "storage_encrypted"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    message = "Neptune cluster {address} disables storage encryption ({attribute} = {value})"
    missing_message = "Neptune cluster {address} does not encrypt its storage"
    fix_description = (
        "No automatic fix: encryption can only be chosen when the cluster is created; the "
        "data must be restored into a new cluster."
    )
