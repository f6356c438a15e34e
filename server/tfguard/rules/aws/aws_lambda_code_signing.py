from __future__ import annotations

from collections.abc import Iterable, Iterator

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string


class LambdaCodeSigning(Check):
    id = "aws-lambda-code-signing"
    title = "Lambda function does not require signed code"
    severity = Severity.INFO
    rationale = (
        "Without a code signing configuration Lambda deploys any package that someone with "
        "lambda:UpdateFunctionCode (or write access to the artifact bucket) uploads. With "
        "one, Lambda accepts only packages signed by the signing profiles you trust, so a "
        "tampered build artifact or a leaked deploy credential cannot replace the code."
    )
    remediation = (
        "Create an aws_signer_signing_profile and an aws_lambda_code_signing_config that "
        'enforces it (untrusted_artifact_on_deployment = "Enforce"), sign packages in the '
        "pipeline, and set code_signing_config_arn on the function."
    )
    links = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function#code_signing_config_arn",
    )
    aliases = ("CKV_AWS_272",)
    bad_example = """
resource "aws_lambda_function" "payments" {
  function_name = "payments"
  role          = aws_iam_role.payments.arn
  runtime       = "java21"
  handler       = "com.acme.Payments::handle"
  s3_bucket     = "acme-artifacts"
  s3_key        = "payments/1.8.0.zip"
}
"""
    good_example = """
resource "aws_lambda_function" "payments" {
  function_name           = "payments"
  role                    = aws_iam_role.payments.arn
  runtime                 = "java21"
  handler                 = "com.acme.Payments::handle"
  s3_bucket               = "acme-artifacts"
  s3_key                  = "payments/1.8.0.zip"
  code_signing_config_arn = aws_lambda_code_signing_config.release.arn
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = aws_iam_role.worker.arn
  package_type  = "Image"
  image_uri     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker@sha256:4f1c2a"
}
"""
    resource_types = ("aws_lambda_function",)
    attribute = "code_signing_config_arn"
    condition = NotEmpty()
    message = "Lambda function {address} sets an empty code_signing_config_arn"
    missing_message = "Lambda function {address} deploys code without checking its signature"
    fix_description = (
        "No automatic fix: the signing profile and the pipeline that signs packages have to "
        "exist first."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _zip_functions(module)


def _zip_functions(module: Module) -> Iterator[Entity]:
    """Functions deployed from .zip packages (container images cannot be code-signed)."""
    for function in live(module, "aws_lambda_function"):
        kind = as_string(module.attr_value(function, "package_type", "Zip"))
        if isinstance(kind, str) and kind.lower() == "zip":
            yield function
