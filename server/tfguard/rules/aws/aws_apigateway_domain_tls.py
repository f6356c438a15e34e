from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Matches
from tfguard.rules.kit.declarative import Check, SetValue


class ApigatewayDomainTls(Check):
    id = "aws-apigateway-domain-tls"
    title = "API Gateway custom domain accepts TLS 1.0"
    severity = Severity.MEDIUM
    rationale = (
        'A custom domain name with security_policy = "TLS_1_0" lets clients negotiate TLS 1.0 '
        "and 1.1 and their weak ciphers, which PCI DSS forbids and which a downgrade attack "
        "can force on the API's traffic."
    )
    remediation = 'Set security_policy = "TLS_1_2" (or a SecurityPolicy_TLS13_* policy).'
    links = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_domain_name#security_policy",
    )
    aliases = (
        "CKV_AWS_206",
        "AVD-AWS-0005",
        "AWS-0005",
        "aws-apigateway-use-secure-tls-policy",
    )
    bad_example = """
resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "api.example.com"
  regional_certificate_arn = aws_acm_certificate.api.arn
  security_policy          = "TLS_1_0"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}
"""
    good_example = """
resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "api.example.com"
  regional_certificate_arn = aws_acm_certificate.api.arn
  security_policy          = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}
"""
    resource_types = ("aws_api_gateway_domain_name",)
    attribute = "security_policy"
    condition = Matches(r"^(TLS_1_2|SecurityPolicy_TLS1[23]_.+)$")
    # Left out, the API chooses (the value is computed): unknown.
    message = "API Gateway domain {address} accepts old TLS versions ({attribute} = {value})"
    fix = SetValue(
        '"TLS_1_2"',
        "Require TLS 1.2",
        applicability="unsafe",
        consequence="clients limited to TLS 1.0/1.1 can no longer connect",
    )
    fix_description = (
        'Sets security_policy = "TLS_1_2" (offered, not applied by fix-all: clients limited '
        "to TLS 1.0/1.1 can no longer connect)."
    )
