from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue, When


class KmsKeyRotation(Check):
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
    resource_types = ("aws_kms_key",)
    attribute = "enable_key_rotation"
    condition = Equals(True)
    default = False  # the provider's default: rotation off
    # Only symmetric encryption keys can rotate.
    only_if = (
        When("customer_master_key_spec", Equals("SYMMETRIC_DEFAULT"), "SYMMETRIC_DEFAULT"),
        When("key_usage", Equals("ENCRYPT_DECRYPT"), "ENCRYPT_DECRYPT"),
    )
    message = "KMS key {address} disables automatic key rotation"
    missing_message = "KMS key {address} does not enable automatic key rotation"
    fix = SetValue("true", "Enable automatic key rotation", replace_expressions=True)
    fix_description = "Adds or sets enable_key_rotation = true."
