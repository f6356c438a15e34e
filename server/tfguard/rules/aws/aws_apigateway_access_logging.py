from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class ApigatewayAccessLogging(Check):
    id = "aws-apigateway-access-logging"
    title = "API Gateway stage does not write access logs"
    severity = Severity.MEDIUM
    rationale = (
        "Access logs record who called which route of a stage, from where, with which result "
        "and how fast. Without access_log_settings, abuse of the API (enumeration, stolen "
        "keys, injection attempts against the backend) leaves no record at the gateway, and "
        "an incident cannot be traced to callers."
    )
    remediation = (
        "Add access_log_settings { destination_arn = <log group ARN> format = jsonencode(...) "
        "} to the stage (for REST APIs, the account also needs an aws_api_gateway_account "
        "with a CloudWatch role)."
    )
    links = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage#access_log_settings",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_stage#access_log_settings",
    )
    aliases = (
        "CKV_AWS_76",
        "AVD-AWS-0001",
        "AWS-0001",
        "aws-apigateway-enable-access-logging",
    )
    bad_example = """
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}
"""
    good_example = """
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api.arn
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
}
"""
    resource_types = ("aws_api_gateway_stage", "aws_apigatewayv2_stage")
    attribute = "access_log_settings.destination_arn"
    condition = NotEmpty()
    message = "API Gateway stage {address} logs to an empty destination"
    missing_message = "API Gateway stage {address} does not write access logs"
    fix_description = "No automatic fix: access logs need a log group (and a log format)."
