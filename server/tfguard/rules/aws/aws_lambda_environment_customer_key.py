from __future__ import annotations

from collections.abc import Iterable, Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._checks import downgraded
from tfguard.rules.aws._support import key_argument_fixes
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live


class LambdaEnvironmentCustomerKey(Check):
    id = "aws-lambda-environment-customer-key"
    title = "Lambda environment variables are not encrypted with a customer-managed KMS key"
    severity = Severity.LOW
    rationale = (
        "Lambda encrypts environment variables with the AWS-managed aws/lambda key, which "
        "every principal allowed lambda:GetFunctionConfiguration can use: connection "
        "strings and tokens kept there are readable to anyone with read access to the "
        "function. With kms_key_arn set to a customer-managed key, reading them also needs "
        "kms:Decrypt on that key, and each use is logged."
    )
    remediation = (
        "Set kms_key_arn to a customer-managed aws_kms_key that the execution role may use "
        "for kms:Decrypt; better still, keep secrets in Secrets Manager and read them at "
        "runtime."
    )
    links = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function#kms_key_arn",
    )
    aliases = ("CKV_AWS_173",)
    bad_example = """
resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.report.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "report.zip"

  environment {
    variables = {
      DB_HOST = "orders.cluster-abc.eu-west-1.rds.amazonaws.com"
    }
  }
}
"""
    good_example = """
resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.report.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "report.zip"
  kms_key_arn   = aws_kms_key.lambda.arn

  environment {
    variables = {
      DB_HOST = "orders.cluster-abc.eu-west-1.rds.amazonaws.com"
    }
  }
}
"""
    resource_types = ("aws_lambda_function",)
    attribute = "kms_key_arn"
    condition = NotEmpty()
    message = "Lambda function {address} sets an empty kms_key_arn for its environment"
    missing_message = (
        "Lambda function {address} encrypts its environment variables with the AWS-managed "
        "aws/lambda key"
    )
    fix_description = (
        "Sets kms_key_arn to the module's only aws_kms_key, else to a new variable "
        "<name>_kms_key_arn declared without a default. Offered, not applied unattended: the "
        "execution role needs kms:Decrypt on the key or the function fails to start."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _with_environment(module)

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return downgraded(
            key_argument_fixes(
                module,
                finding,
                "kms_key_arn",
                "{name}_kms_key_arn",
                "ARN of the customer-managed KMS key that encrypts the environment of "
                "{address}; the execution role needs kms:Decrypt on it",
                "Encrypt the environment with {key}",
            ),
            "unsafe",
            "the function fails to start unless its role may decrypt with the key",
        )


def _with_environment(module: Module) -> Iterator[Entity]:
    """Functions with environment variables (an empty or absent map has nothing to protect)."""
    for function in live(module, "aws_lambda_function"):
        for hit in lookup(module, function, "environment.variables"):
            if hit.present and NotEmpty().test(hit.value) is not False:
                yield function
                break
