from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Module
from tfguard.rules.base import Context, Rule


class KmsKeyRotation(Rule):
    id = "aws-kms-key-rotation"
    title = "KMS key does not rotate its key material"
    severity = Severity.MEDIUM
    rationale = (
        "Automatic rotation replaces a customer-managed key's material every year (or the "
        "period you set) while old ciphertext stays readable. Without it, key material that "
        "leaked or was weakened keeps protecting new data indefinitely, and many compliance "
        "frameworks (CIS, PCI DSS) require rotation."
    )
    remediation = "Set enable_key_rotation = true on symmetric encryption keys."
    links = (
        "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key",
    )
    aliases = ("CKV_AWS_7", "AVD-AWS-0065", "AWS-0065", "aws-kms-auto-rotate-keys")
    bad_example = """
resource "aws_kms_key" "state" {
  description = "Terraform state"
}
"""
    good_example = """
resource "aws_kms_key" "state" {
  description         = "Terraform state"
  enable_key_rotation = true
}

resource "aws_kms_key" "signing" {
  description              = "Release signing (asymmetric keys cannot rotate)"
  customer_master_key_spec = "ECC_NIST_P256"
  key_usage                = "SIGN_VERIFY"
}
"""
    fix_description = "Adds or sets enable_key_rotation = true."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for key in ctx.resources("aws_kms_key"):
            spec = ctx.attr_value(key, "customer_master_key_spec", "SYMMETRIC_DEFAULT")
            usage = ctx.attr_value(key, "key_usage", "ENCRYPT_DECRYPT")
            if spec != "SYMMETRIC_DEFAULT" or usage != "ENCRYPT_DECRYPT":
                continue  # only symmetric encryption keys can rotate (or unknown)
            attr = key.attr("enable_key_rotation")
            if attr is None:
                yield ctx.report(
                    key,
                    key.block,
                    f"KMS key {key.address} does not enable automatic key rotation",
                    data={"missing": True},
                )
            elif ctx.value(attr.value) is False:
                yield ctx.report(
                    key,
                    attr,
                    f"KMS key {key.address} disables automatic key rotation",
                    data={"missing": False},
                )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        key = entity_for(module, finding)
        if key is None:
            return []
        edit = Editor(module).set_attribute(key, key.block, "enable_key_rotation", "true")
        return [Fix("Enable automatic key rotation", (edit,), preferred=True)]
