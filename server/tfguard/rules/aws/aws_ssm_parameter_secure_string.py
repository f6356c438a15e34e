from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._secrets import holds_secret, names_a_secret
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import set_value_fix
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string


class SsmParameterSecureString(Rule):
    id = "aws-ssm-parameter-secure-string"
    title = "Secret stored as a plain String SSM parameter"
    severity = Severity.MEDIUM
    rationale = (
        'A parameter of type "String" or "StringList" is stored unencrypted and returned '
        "in clear text to anyone allowed ssm:GetParameter, without a KMS decrypt permission "
        "in the way, and its value shows in the console and in CloudTrail data events. A "
        "password, token or key belongs in a SecureString parameter, encrypted with KMS."
    )
    remediation = (
        'Set type = "SecureString" (optionally key_id = a customer-managed key) and read it '
        "with WithDecryption = true; prefer value_wo (Terraform 1.11+) so the value stays "
        "out of the state."
    )
    links = (
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-parameter-store.html#what-is-a-parameter",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ssm_parameter#type",
    )
    aliases = ("CKV2_AWS_34",)
    bad_example = """
terraform {
  required_version = ">= 1.11.0"
}

resource "random_password" "db" {
  length = 32
}

resource "aws_ssm_parameter" "db_password" {
  name             = "/app/db/password"
  type             = "String"
  value_wo         = random_password.db.result
  value_wo_version = 1
}
"""
    good_example = """
terraform {
  required_version = ">= 1.11.0"
}

resource "random_password" "db" {
  length = 32
}

resource "aws_ssm_parameter" "db_password" {
  name             = "/app/db/password"
  type             = "SecureString"
  value_wo         = random_password.db.result
  value_wo_version = 1
}

resource "aws_ssm_parameter" "db_host" {
  name  = "/app/db/host"
  type  = "String"
  value = "db.internal.example.com"
}
"""
    fix_description = (
        'Sets type = "SecureString" (offered, not applied by fix-all: readers must then ask '
        "for decryption and be allowed to use the key)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for parameter in live(module, "aws_ssm_parameter"):
            kind = as_string(module.attr_value(parameter, "type"))
            if kind not in ("String", "StringList"):
                continue
            name = as_string(module.attr_value(parameter, "name"))
            why = None
            if isinstance(name, str) and names_a_secret(name):
                why = f'its name "{name}" says it holds a secret'
            for value_name in ("value", "insecure_value", "value_wo"):
                attr = parameter.attr(value_name)
                if why is None and attr is not None:
                    source = holds_secret(module, attr.value)
                    if source is not None:
                        why = f"its value comes from {source}"
            if why is None:
                continue
            type_attr = parameter.attr("type")
            yield ctx.report(
                parameter,
                type_attr if type_attr is not None else parameter.block,
                f'SSM parameter {parameter.address} is a plain "{kind}" but {why}',
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_value_fix(
            module,
            finding,
            "Store the parameter as a SecureString",
            "type",
            "SecureString",
            applicability="unsafe",
            consequence="readers must ask for decryption and be allowed to use the key",
        )
