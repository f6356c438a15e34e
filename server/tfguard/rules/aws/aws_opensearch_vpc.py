from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class OpensearchVpc(Check):
    id = "aws-opensearch-vpc"
    title = "OpenSearch domain has a public endpoint instead of living in a VPC"
    severity = Severity.MEDIUM
    rationale = (
        "A domain without vpc_options gets an endpoint on the internet. Its access policy "
        "is then the only control between the cluster and everyone: one overly broad "
        'statement (a Principal "*" for a quick test, an IP condition that is too wide) '
        "exposes every index. Inside a VPC, security groups and the network add a second "
        "boundary."
    )
    remediation = (
        "Create the domain with vpc_options { subnet_ids = [...] security_group_ids = [...] "
        "} (the endpoint type cannot change in place: a new domain is needed)."
    )
    links = (
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#vpc_options",
    )
    aliases = ("CKV_AWS_137",)
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

  vpc_options {
    subnet_ids         = ["subnet-0a1b2c3d"]
    security_group_ids = ["sg-0a1b2c3d4e5f"]
  }
}
"""
    resource_types = ("aws_opensearch_domain", "aws_elasticsearch_domain")
    attribute = "vpc_options.subnet_ids"
    condition = NotEmpty()
    message = "OpenSearch domain {address} has no subnets in vpc_options"
    missing_message = "OpenSearch domain {address} has a public endpoint (no vpc_options)"
    fix_description = (
        "No automatic fix: moving a domain into a VPC creates a new domain; subnets and "
        "security groups are the owner's choice."
    )
