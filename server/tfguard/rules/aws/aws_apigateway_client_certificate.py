from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class ApigatewayClientCertificate(Check):
    id = "aws-apigateway-client-certificate"
    title = "API Gateway stage does not present a client certificate to its backend"
    severity = Severity.LOW
    rationale = (
        "A client certificate on a stage is what API Gateway presents to HTTP backends, so "
        "the backend can refuse requests that did not come through the gateway (and skipped "
        "its authorization, throttling and WAF). Without it, a backend reachable from the "
        "internet cannot tell gateway traffic from direct calls."
    )
    remediation = (
        "Create an aws_api_gateway_client_certificate, set client_certificate_id on the "
        "stage, and make the HTTP backend verify it."
    )
    links = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-client-side-ssl-authentication.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage#client_certificate_id",
    )
    aliases = ("CKV2_AWS_51",)
    bad_example = """
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}
"""
    good_example = """
resource "aws_api_gateway_client_certificate" "backend" {
  description = "Presented to the orders backend"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.orders.id
  deployment_id         = aws_api_gateway_deployment.orders.id
  stage_name            = "prod"
  client_certificate_id = aws_api_gateway_client_certificate.backend.id
}
"""
    resource_types = ("aws_api_gateway_stage",)
    attribute = "client_certificate_id"
    condition = NotEmpty()
    message = "API Gateway stage {address} has an empty client_certificate_id"
    missing_message = "API Gateway stage {address} presents no client certificate to backends"
    fix_description = "No automatic fix: the backend must be set up to verify the certificate."
