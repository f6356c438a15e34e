from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check, When
from tfguard.rules.kit.paths import Hit
from tfguard.rules.kit.values import as_string

_READ_ONLY = ("GET", "HEAD")


class ApigatewayMethodAuthorization(Check):
    id = "aws-apigateway-method-authorization"
    title = "API Gateway method accepts calls without authorization or an API key"
    severity = Severity.MEDIUM
    rationale = (
        'A REST API method with authorization = "NONE" and no api_key_required can be called '
        "by anyone who finds the endpoint, which is public for edge and regional APIs. For a "
        "method that changes data (POST, PUT, PATCH, DELETE) that is rarely intended; a "
        "public read (GET, HEAD) is reported at low severity for review."
    )
    remediation = (
        'Use authorization = "AWS_IAM", "COGNITO_USER_POOLS" or "CUSTOM" with an authorizer, '
        "or at least api_key_required = true with a usage plan; keep NONE only for methods "
        "meant to be public."
    )
    links = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method#authorization",
    )
    aliases = ("CKV_AWS_59", "AVD-AWS-0004", "AWS-0004", "aws-apigateway-no-public-access")
    bad_example = """
resource "aws_api_gateway_method" "create_order" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "POST"
  authorization = "NONE"
}
"""
    good_example = """
resource "aws_api_gateway_method" "create_order" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "POST"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.users.id
}

resource "aws_api_gateway_method" "preflight" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}
"""
    resource_types = ("aws_api_gateway_method",)
    attribute = "authorization"
    condition = NotEquals("NONE", ignore_case=True)
    only_if = (
        When("http_method", NotEquals("OPTIONS", ignore_case=True)),
        When("api_key_required", NotEquals(True), False),
    )
    message = "API Gateway method {address} ({method}) needs no authorization and no API key"
    fix_description = (
        "No automatic fix: the authorizer (IAM, Cognito, a Lambda authorizer) depends on who "
        "calls the API."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, str]:
        method = as_string(module.attr_value(entity, "http_method"))
        return {"method": method if isinstance(method, str) else "a method"}

    def severity_for(self, module: Module, entity: Entity, hit: Hit) -> Severity | None:
        method = as_string(module.attr_value(entity, "http_method"))
        if isinstance(method, str) and method.upper() in _READ_ONLY:
            return Severity.LOW
        return None
