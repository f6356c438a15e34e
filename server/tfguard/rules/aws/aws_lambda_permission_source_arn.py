from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import resource_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string


def is_service(principal: object) -> bool:
    """A service principal (``s3.amazonaws.com``, ``logs.eu-west-1.amazonaws.com``)."""
    return isinstance(principal, str) and principal.strip().endswith(".amazonaws.com")


class LambdaPermissionSourceArn(Rule):
    id = "aws-lambda-permission-source-arn"
    title = "Lambda permission for an AWS service does not name the source resource"
    severity = Severity.MEDIUM
    rationale = (
        "A permission for a service principal (s3.amazonaws.com, sns.amazonaws.com, "
        "events.amazonaws.com...) without source_arn or source_account lets that service "
        "invoke the function on behalf of any resource, in any account: someone else's "
        "bucket notification or SNS topic can trigger your function (the confused-deputy "
        "problem)."
    )
    remediation = (
        "Set source_arn to the bucket, topic, rule or API that should trigger the function "
        "(and source_account for S3, whose bucket ARNs carry no account)."
    )
    links = (
        "https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_permission#source_arn",
    )
    aliases = (
        "CKV_AWS_364",
        "AVD-AWS-0067",
        "AWS-0067",
        "aws-lambda-restrict-source-arn",
    )
    bad_example = """
resource "aws_lambda_permission" "uploads" {
  statement_id  = "AllowS3Invoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.thumbnail.function_name
  principal     = "s3.amazonaws.com"
}
"""
    good_example = """
resource "aws_lambda_permission" "uploads" {
  statement_id   = "AllowS3Invoke"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.thumbnail.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.uploads.arn
  source_account = "111122223333"
}
"""
    fix_description = (
        "No automatic fix: the resource that should trigger the function has to be named."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for permission in live(module, "aws_lambda_permission"):
            attr = permission.attr("principal")
            if attr is None:
                continue
            if any(permission.attr(n) is not None for n in ("source_arn", "source_account")):
                continue
            for rule_set in resource_rule_sets(module, permission):
                principal = as_string(rule_set.get("principal"))
                if is_service(principal):
                    yield ctx.report(
                        permission,
                        attr,
                        f"Lambda permission {permission.address} lets {principal} invoke the "
                        "function for any source resource (no source_arn or source_account)",
                    )
                    break
