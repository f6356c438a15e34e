from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class ApigatewayTracing(Check):
    id = "aws-apigateway-tracing"
    title = "API Gateway stage does not trace requests with X-Ray"
    severity = Severity.LOW
    rationale = (
        "X-Ray tracing follows each request from the stage through the integrations it "
        "calls. Without it, a slow or failing backend, an unexpected downstream call or the "
        "path of a malicious request through the services is hard to see."
    )
    remediation = "Set xray_tracing_enabled = true on the stage."
    links = (
        "https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage#xray_tracing_enabled",
    )
    aliases = ("CKV_AWS_73", "AVD-AWS-0003", "AWS-0003", "aws-apigateway-enable-tracing")
    bad_example = """
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}
"""
    good_example = """
resource "aws_api_gateway_stage" "prod" {
  rest_api_id          = aws_api_gateway_rest_api.orders.id
  deployment_id        = aws_api_gateway_deployment.orders.id
  stage_name           = "prod"
  xray_tracing_enabled = true
}
"""
    resource_types = ("aws_api_gateway_stage",)
    attribute = "xray_tracing_enabled"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    message = "API Gateway stage {address} has X-Ray tracing off ({attribute} = {value})"
    missing_message = "API Gateway stage {address} does not enable X-Ray tracing"
    fix = SetValue("true", "Enable X-Ray tracing")
