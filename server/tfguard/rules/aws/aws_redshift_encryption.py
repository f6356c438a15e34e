from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check


class RedshiftEncryption(Check):
    id = "aws-redshift-encryption"
    title = "Redshift cluster switches encryption at rest off"
    severity = Severity.HIGH
    rationale = (
        "encrypted = false keeps a warehouse's tables, its automated and manual snapshots "
        "and its backups unencrypted on disk; warehouses hold the organisation's most "
        "sensitive aggregated data. Since January 2025 Redshift encrypts every new provisioned "
        "cluster by default, so only an explicit false is reported: a cluster created earlier "
        "without the argument is not encrypted either, which its configuration cannot show."
    )
    remediation = (
        "Set encrypted = true (with kms_key_id for a customer-managed key). An existing "
        "cluster is encrypted by a migration that Redshift performs on modification."
    )
    links = (
        "https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_cluster#encrypted",
    )
    aliases = ("CKV_AWS_64",)
    bad_example = """
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
  encrypted              = false
}
"""
    good_example = """
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  kms_key_id             = aws_kms_key.warehouse.arn
}
"""
    resource_types = ("aws_redshift_cluster",)
    attribute = "encrypted"
    condition = NotEquals(False)
    message = "Redshift cluster {address} stores its data unencrypted ({attribute} = {value})"
    fix_description = (
        "No automatic fix: encrypting an existing cluster migrates its data (hours on large "
        "clusters), and the key is the owner's choice."
    )
