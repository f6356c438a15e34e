from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check, SetValue


class LambdaFunctionUrlAuth(Check):
    id = "aws-lambda-function-url-auth"
    title = "Lambda function URL accepts unauthenticated requests"
    severity = Severity.HIGH
    rationale = (
        'A function URL with authorization_type = "NONE" is a public HTTPS endpoint: '
        "anyone who finds the URL invokes the function with its execution role's "
        "permissions, at your cost, with whatever input they like. Without API Gateway in "
        "front there is no throttling, WAF or request validation either."
    )
    remediation = (
        'Set authorization_type = "AWS_IAM" and grant lambda:InvokeFunctionUrl to the '
        "callers, or put API Gateway or CloudFront with authentication in front; keep NONE "
        "only for a deliberately public endpoint that authenticates requests itself."
    )
    links = (
        "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function_url#authorization_type",
    )
    aliases = ("CKV_AWS_258",)
    bad_example = """
resource "aws_lambda_function_url" "report" {
  function_name      = aws_lambda_function.report.function_name
  authorization_type = "NONE"
}
"""
    good_example = """
resource "aws_lambda_function_url" "report" {
  function_name      = aws_lambda_function.report.function_name
  authorization_type = "AWS_IAM"
}
"""
    resource_types = ("aws_lambda_function_url",)
    attribute = "authorization_type"
    condition = NotEquals("NONE", ignore_case=True)
    message = (
        "Lambda function URL {address} accepts unauthenticated requests "
        '(authorization_type = "NONE"): anyone can invoke the function'
    )
    fix = SetValue(
        '"AWS_IAM"',
        "Require IAM authentication for {address}",
        applicability="unsafe",
        consequence="unsigned requests are refused",
    )
    fix_description = (
        'Sets authorization_type = "AWS_IAM". Offered, not applied unattended: callers '
        "without SigV4-signed requests and lambda:InvokeFunctionUrl are then refused."
    )
