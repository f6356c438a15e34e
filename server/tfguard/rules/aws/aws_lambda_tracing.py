from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class LambdaTracing(Check):
    id = "aws-lambda-tracing"
    title = "Lambda function does not trace its requests with X-Ray"
    severity = Severity.LOW
    rationale = (
        "Without active X-Ray tracing (tracing_config mode defaults to PassThrough) nothing "
        "records which requests a function served, how long they took and which AWS "
        "services and endpoints it called. Unusual downstream calls by a compromised "
        "function, or the path of a request through a chain of services, cannot be "
        "reconstructed."
    )
    remediation = (
        'Add tracing_config { mode = "Active" } and allow the execution role '
        "xray:PutTraceSegments and xray:PutTelemetryRecords (AWSXRayDaemonWriteAccess)."
    )
    links = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function#tracing_config",
    )
    aliases = ("CKV_AWS_50", "AVD-AWS-0066", "AWS-0066", "aws-lambda-enable-tracing")
    bad_example = """
resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.report.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "report.zip"
}
"""
    good_example = """
resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.report.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "report.zip"

  tracing_config {
    mode = "Active"
  }
}
"""
    resource_types = ("aws_lambda_function",)
    attribute = "tracing_config.mode"
    condition = Equals("Active")
    default = "PassThrough"  # aws provider 4.x-6.x
    message = "Lambda function {address} does not trace requests (tracing_config mode {value})"
    missing_message = "Lambda function {address} does not trace its requests with X-Ray"
    fix = SetValue(
        '"Active"',
        "Trace the requests of {address} with X-Ray",
        applicability="unsafe",
        consequence="the update fails unless the role may write to X-Ray",
    )
    fix_description = (
        'Sets tracing_config { mode = "Active" }. Offered, not applied unattended: the '
        "execution role needs the X-Ray write permissions, or the update fails."
    )
