from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class OpensearchNodeToNodeEncryption(Check):
    id = "aws-opensearch-node-to-node-encryption"
    title = "OpenSearch nodes talk to each other unencrypted"
    severity = Severity.MEDIUM
    rationale = (
        "Without node_to_node_encryption, the nodes of a domain replicate shards and run "
        "queries over plain TCP inside the VPC: anyone who can capture traffic there reads "
        "every document indexed. It is also a prerequisite of fine-grained access control."
    )
    remediation = "Add node_to_node_encryption { enabled = true }."
    links = (
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#node_to_node_encryption",
    )
    aliases = (
        "CKV_AWS_6",
        "AVD-AWS-0043",
        "AWS-0043",
        "aws-elasticsearch-enable-in-transit-encryption",
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

  node_to_node_encryption {
    enabled = true
  }
}
"""
    resource_types = ("aws_opensearch_domain", "aws_elasticsearch_domain")
    attribute = "node_to_node_encryption.enabled"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false when the block is left out
    message = "OpenSearch domain {address} disables node-to-node encryption ({value})"
    missing_message = "OpenSearch domain {address} does not encrypt traffic between its nodes"
    # On engines before OpenSearch 1.0 / Elasticsearch 6.7 the domain is replaced.
    fix = SetValue(
        "true",
        "Encrypt node-to-node traffic",
        applicability="unsafe",
        consequence="on older engine versions the domain is replaced",
    )
    fix_description = (
        "Sets node_to_node_encryption.enabled = true (offered, not applied by fix-all: on "
        "older engine versions the domain is replaced)."
    )
