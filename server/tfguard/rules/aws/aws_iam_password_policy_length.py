from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import AtLeast
from tfguard.rules.kit.declarative import Check, SetValue


class IamPasswordPolicyLength(Check):
    id = "aws-iam-password-policy-length"
    title = "IAM password policy accepts passwords shorter than 14 characters"
    severity = Severity.MEDIUM
    rationale = (
        "minimum_password_length defaults to 6 characters, and short passwords fall to "
        "offline cracking and online guessing quickly. Length is what most raises the cost "
        "of guessing; CIS AWS Foundations asks for at least 14 characters for IAM users' "
        "console passwords."
    )
    remediation = (
        "Set minimum_password_length = 14 or more (users keep their password until they "
        "change it), and prefer federated sign-in with MFA over IAM user passwords."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_account_password_policy#minimum_password_length",
    )
    aliases = (
        "CKV_AWS_10",
        "AVD-AWS-0063",
        "AWS-0063",
        "aws-iam-set-minimum-password-length",
    )
    bad_example = """
resource "aws_iam_account_password_policy" "main" {
  minimum_password_length   = 8
  password_reuse_prevention = 24
}
"""
    good_example = """
resource "aws_iam_account_password_policy" "main" {
  minimum_password_length   = 16
  password_reuse_prevention = 24
}
"""
    resource_types = ("aws_iam_account_password_policy",)
    attribute = "minimum_password_length"
    condition = AtLeast(14)
    default = 6  # the IAM default when the argument is left out
    message = "IAM password policy {address} accepts passwords of {value} characters"
    missing_message = (
        "IAM password policy {address} does not set minimum_password_length: IAM accepts "
        "passwords of 6 characters"
    )
    fix = SetValue("14", "Require passwords of at least 14 characters")
    fix_description = (
        "Sets minimum_password_length = 14 (existing passwords stay valid until changed)."
    )
