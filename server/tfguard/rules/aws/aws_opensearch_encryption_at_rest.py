from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check


class OpensearchEncryptionAtRest(Check):
    id = "aws-opensearch-encryption-at-rest"
    title = "OpenSearch domain stores its data unencrypted"
    severity = Severity.HIGH
    rationale = (
        "Without encrypt_at_rest, an OpenSearch (or Elasticsearch) domain keeps its indices, "
        "logs, swap files and automated snapshots unencrypted on disk. Search clusters often "
        "hold application logs and documents with personal data; encryption at rest, with a "
        "KMS key whose use is logged, is required by most compliance frameworks."
    )
    remediation = (
        "Add encrypt_at_rest { enabled = true } (optionally with kms_key_id). Enabling it on "
        "an existing domain requires a recent engine version; older domains must be migrated "
        "to a new domain."
    )
    links = (
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#encrypt_at_rest",
    )
    aliases = (
        "CKV_AWS_5",
        "AVD-AWS-0048",
        "AWS-0048",
        "aws-elasticsearch-enable-domain-encryption",
    )
    bad_example = """
resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"
}
"""
    good_example = """
resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  encrypt_at_rest {
    enabled = true
  }
}
"""
    resource_types = ("aws_opensearch_domain", "aws_elasticsearch_domain")
    attribute = "encrypt_at_rest.enabled"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false when the block is left out
    message = "OpenSearch domain {address} disables encryption at rest ({attribute} = {value})"
    missing_message = "OpenSearch domain {address} does not encrypt its data at rest"
    fix_description = (
        "No automatic fix: turning encryption on replaces older domains (their data must be "
        "migrated) and the key to use is the owner's choice."
    )
