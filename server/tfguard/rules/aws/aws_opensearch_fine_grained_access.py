from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check


class OpensearchFineGrainedAccess(Check):
    id = "aws-opensearch-fine-grained-access"
    title = "OpenSearch domain does not use fine-grained access control"
    severity = Severity.MEDIUM
    rationale = (
        "Without fine-grained access control (advanced_security_options), anyone the domain "
        "policy lets in can read and write every index and change the cluster's settings: "
        "there are no users, roles, index, document or field level permissions, and no audit "
        "log of who read what."
    )
    remediation = (
        "Add advanced_security_options { enabled = true } with an IAM master user "
        "(master_user_arn) or the internal user database, then map roles to index "
        "permissions. It needs node_to_node_encryption, encrypt_at_rest and enforce_https."
    )
    links = (
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#advanced_security_options",
    )
    aliases = ("CKV2_AWS_52",)
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

  advanced_security_options {
    enabled                        = true
    internal_user_database_enabled = false

    master_user_options {
      master_user_arn = "arn:aws:iam::123456789012:role/search-admin"
    }
  }
}
"""
    resource_types = ("aws_opensearch_domain", "aws_elasticsearch_domain")
    attribute = "advanced_security_options.enabled"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    message = "OpenSearch domain {address} disables fine-grained access control ({value})"
    missing_message = "OpenSearch domain {address} does not use fine-grained access control"
    fix_description = (
        "No automatic fix: fine-grained access control needs a master user and role "
        "mappings, and cannot be turned off again."
    )
