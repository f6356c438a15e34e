from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import AtLeast
from tfguard.rules.kit.declarative import Check, SetValue


class IamPasswordPolicyReuse(Check):
    id = "aws-iam-password-policy-reuse"
    title = "IAM password policy lets users reuse recent passwords"
    severity = Severity.LOW
    rationale = (
        "Without password_reuse_prevention a user told to change a leaked or expired "
        "password can set the same one again, so the change achieves nothing. CIS AWS "
        "Foundations asks IAM to remember the last 24 passwords."
    )
    remediation = "Set password_reuse_prevention = 24."
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_account_password_policy#password_reuse_prevention",
    )
    aliases = (
        "CKV_AWS_13",
        "AVD-AWS-0056",
        "AWS-0056",
        "aws-iam-no-password-reuse",
    )
    bad_example = """
resource "aws_iam_account_password_policy" "main" {
  minimum_password_length = 16
}
"""
    good_example = """
resource "aws_iam_account_password_policy" "main" {
  minimum_password_length   = 16
  password_reuse_prevention = 24
}
"""
    resource_types = ("aws_iam_account_password_policy",)
    attribute = "password_reuse_prevention"
    condition = AtLeast(24)
    default = 0  # IAM remembers no previous password when the argument is left out
    message = "IAM password policy {address} remembers only {value} previous passwords"
    missing_message = (
        "IAM password policy {address} does not prevent password reuse "
        "(password_reuse_prevention is not set)"
    )
    fix = SetValue("24", "Remember the last 24 passwords")
    fix_description = "Sets password_reuse_prevention = 24."
