from __future__ import annotations

from tfguard.evaluate import Value
from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class OpensearchEnforceHttps(Check):
    id = "aws-opensearch-enforce-https"
    title = "OpenSearch domain accepts plain HTTP"
    severity = Severity.HIGH
    rationale = (
        "A domain that does not enforce HTTPS answers on port 80 too: queries, the documents "
        "they return and the credentials of signed or basic-auth requests cross the network "
        "in clear text. The service accepts HTTP unless domain_endpoint_options sets "
        "enforce_https (which defaults to true only when the block is written)."
    )
    remediation = "Add domain_endpoint_options { enforce_https = true }."
    links = (
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/infrastructure-security.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#enforce_https",
    )
    aliases = ("CKV_AWS_83", "AVD-AWS-0046", "AWS-0046", "aws-elasticsearch-enforce-https")
    bad_example = """
resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  domain_endpoint_options {
    enforce_https = false
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
    attribute = "domain_endpoint_options.enforce_https"
    condition = Equals(True)
    message = "OpenSearch domain {address} accepts plain HTTP ({attribute} = {value})"
    missing_message = "OpenSearch domain {address} accepts plain HTTP (HTTPS is not enforced)"
    # HTTP clients stop working.
    fix = SetValue(
        "true",
        "Enforce HTTPS",
        applicability="unsafe",
        consequence="clients using HTTP stop working",
    )
    fix_description = (
        "Sets domain_endpoint_options.enforce_https = true (offered, not applied by fix-all: "
        "clients using HTTP stop working)."
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        # aws 4.x-6.x: true inside a domain_endpoint_options block; without the block the
        # service's own default applies, which accepts HTTP.
        return entity.block.block("domain_endpoint_options") is not None
