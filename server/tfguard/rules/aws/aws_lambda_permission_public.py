from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import resource_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_string

# Arguments that narrow who can use the permission, whatever the principal.
NARROWING = ("source_arn", "source_account", "principal_org_id")


class LambdaPermissionPublic(Rule):
    id = "aws-lambda-permission-public"
    title = "Lambda permission lets any AWS account invoke the function"
    severity = Severity.HIGH
    rationale = (
        'An aws_lambda_permission with principal "*" and no source_arn, source_account or '
        "principal_org_id adds a statement to the function's resource policy that lets "
        "every AWS account, and anonymous callers of a function URL, invoke it: anyone can "
        "run your code with its execution role's permissions, feed it input, and run up the "
        "bill."
    )
    remediation = (
        "Name the principal that needs access (an account ID, a role ARN or a service such "
        'as events.amazonaws.com), or restrict "*" with principal_org_id, source_account '
        "or source_arn."
    )
    links = (
        "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_permission#principal",
    )
    aliases = ("CKV_AWS_301",)
    bad_example = """
resource "aws_lambda_permission" "anyone" {
  statement_id  = "AllowAnyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.report.function_name
  principal     = "*"
}
"""
    good_example = """
resource "aws_lambda_permission" "org" {
  statement_id     = "AllowOrganization"
  action           = "lambda:InvokeFunction"
  function_name    = aws_lambda_function.report.function_name
  principal        = "*"
  principal_org_id = "o-a1b2c3d4e5"
}

resource "aws_lambda_permission" "partner" {
  statement_id  = "AllowPartner"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.report.function_name
  principal     = "444455556666"
}
"""
    fix_description = (
        "No automatic fix: which account, organization or resource should invoke the "
        "function is the author's choice."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for permission in live(module, "aws_lambda_permission"):
            attr = permission.attr("principal")
            if attr is None:
                continue
            for rule_set in resource_rule_sets(module, permission):
                principal = as_string(rule_set.get("principal"))
                if principal is UNKNOWN or str(principal).strip() != "*":
                    continue
                if any(name in rule_set.anchors for name in NARROWING):
                    continue
                yield ctx.report(
                    permission,
                    attr,
                    f"Lambda permission {permission.address} lets any AWS account invoke "
                    'the function (principal "*" without source_arn, source_account or '
                    "principal_org_id)",
                )
                break
