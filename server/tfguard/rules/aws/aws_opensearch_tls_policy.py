from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import Check, SetValue

MODERN = ("Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10")


class OpensearchTlsPolicy(Check):
    id = "aws-opensearch-tls-policy"
    title = "OpenSearch domain accepts TLS versions older than 1.2"
    severity = Severity.MEDIUM
    rationale = (
        "The domain endpoint's tls_security_policy decides the TLS versions clients may use. "
        "Policy-Min-TLS-1-0-2019-07, which the service applies when the argument is left "
        "out, still accepts TLS 1.0 and 1.1, deprecated protocols that PCI DSS forbids and "
        "that a downgrade attack can force."
    )
    remediation = (
        'Set domain_endpoint_options { tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10" }.'
    )
    links = (
        "https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#tls_security_policy",
    )
    aliases = (
        "CKV_AWS_228",
        "AVD-AWS-0126",
        "AWS-0126",
        "aws-elasticsearch-use-secure-tls-policy",
    )
    bad_example = """
resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  domain_endpoint_options {
    enforce_https = true
  }
}
"""
    good_example = """
resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }
}
"""
    resource_types = ("aws_opensearch_domain", "aws_elasticsearch_domain")
    attribute = "domain_endpoint_options.tls_security_policy"
    condition = OneOf(*MODERN)
    # The provider leaves the argument to the service, whose default is the TLS 1.0 policy.
    default = "Policy-Min-TLS-1-0-2019-07"
    message = "OpenSearch domain {address} accepts old TLS versions ({attribute} = {value})"
    missing_message = (
        "OpenSearch domain {address} accepts TLS 1.0 and 1.1 (tls_security_policy is not set: "
        "the service default is Policy-Min-TLS-1-0-2019-07)"
    )
    fix = SetValue(
        '"Policy-Min-TLS-1-2-PFS-2023-10"',
        "Require TLS 1.2 or later",
        applicability="unsafe",
        consequence="clients limited to TLS 1.0/1.1 can no longer connect",
    )
    fix_description = (
        'Sets tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10" (offered, not applied by '
        "fix-all: clients limited to TLS 1.0/1.1 can no longer connect)."
    )
