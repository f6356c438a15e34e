from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class DynamodbDaxEncryption(Check):
    id = "aws-dynamodb-dax-encryption"
    title = "DynamoDB Accelerator (DAX) cluster does not encrypt data at rest"
    severity = Severity.MEDIUM
    rationale = (
        "Unlike DynamoDB tables, a DAX cluster is not encrypted at rest unless "
        "server_side_encryption { enabled = true } is set when it is created. Its nodes cache "
        "copies of table items, so the cache and its on-disk logs hold the same data as the "
        "encrypted table in plain form."
    )
    remediation = (
        "Add server_side_encryption { enabled = true } to the aws_dax_cluster. Encryption can "
        "only be chosen at creation: the cluster is replaced, which empties the cache."
    )
    links = (
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dax_cluster#server_side_encryption",
    )
    aliases = ("CKV_AWS_47", "AVD-AWS-0023", "AWS-0023", "aws-dynamodb-enable-at-rest-encryption")
    bad_example = """
resource "aws_dax_cluster" "cache" {
  cluster_name       = "orders-cache"
  iam_role_arn       = aws_iam_role.dax.arn
  node_type          = "dax.r5.large"
  replication_factor = 3
}
"""
    good_example = """
resource "aws_dax_cluster" "cache" {
  cluster_name       = "orders-cache"
  iam_role_arn       = aws_iam_role.dax.arn
  node_type          = "dax.r5.large"
  replication_factor = 3

  server_side_encryption {
    enabled = true
  }
}
"""
    resource_types = ("aws_dax_cluster",)
    attribute = "server_side_encryption.enabled"
    condition = Equals(True)
    default = False
    message = "DAX cluster {address} disables server-side encryption"
    missing_message = (
        "DAX cluster {address} does not enable server-side encryption: its cached items are "
        "not encrypted at rest"
    )
    fix = SetValue(
        "true",
        "Encrypt the cluster at rest (Terraform replaces it; the cache starts empty)",
        "unsafe",
        consequence="Terraform replaces the cluster",
    )
    fix_description = (
        "Adds server_side_encryption { enabled = true } or sets enabled = true when the value "
        "is written in place. Unsafe: Terraform replaces the "
        "cluster; a DAX cluster only caches table items, so nothing is lost but the cache "
        "starts cold."
    )
