from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._checks import hit_of
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import set_path_edits
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool

REQUIREMENTS = {
    "require_lowercase_characters": "a lowercase letter",
    "require_uppercase_characters": "an uppercase letter",
    "require_numbers": "a number",
    "require_symbols": "a symbol",
}


class IamPasswordPolicyComplexity(Rule):
    id = "aws-iam-password-policy-complexity"
    title = "IAM password policy does not require mixed character types"
    severity = Severity.LOW
    rationale = (
        "Each require_* flag of the account password policy defaults to false, so IAM "
        "accepts passwords made of one character class (all lowercase letters, all digits), "
        "which dictionary and brute-force attacks try first. CIS AWS Foundations asks for "
        "each class; length matters more, which is why this is low."
    )
    remediation = (
        "Set require_lowercase_characters, require_uppercase_characters, require_numbers "
        "and require_symbols to true (together with a minimum length of 14)."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_account_password_policy",
    )
    aliases = (
        "CKV_AWS_11",
        "CKV_AWS_12",
        "CKV_AWS_14",
        "CKV_AWS_15",
        "AVD-AWS-0058",
        "AWS-0058",
        "aws-iam-require-lowercase-in-passwords",
        "AVD-AWS-0059",
        "AWS-0059",
        "aws-iam-require-numbers-in-passwords",
        "AVD-AWS-0060",
        "AWS-0060",
        "aws-iam-require-symbols-in-passwords",
        "AVD-AWS-0061",
        "AWS-0061",
        "aws-iam-require-uppercase-in-passwords",
    )
    bad_example = """
resource "aws_iam_account_password_policy" "main" {
  minimum_password_length      = 16
  password_reuse_prevention    = 24
  require_lowercase_characters = true
  require_uppercase_characters = true
  require_numbers              = false
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_iam_account_password_policy" "main" {
  minimum_password_length      = 16
  password_reuse_prevention    = 24
  require_lowercase_characters = true
  require_uppercase_characters = true
  require_numbers              = true
  require_symbols              = true
}
"""
    fix_description = "Sets the missing require_* argument to true."

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for policy in live(module, "aws_iam_account_password_policy"):
            for argument, what in REQUIREMENTS.items():
                for hit in lookup(module, policy, argument):
                    value = as_bool(hit.value) if hit.present else False
                    if value is not False:
                        continue
                    yield ctx.report(
                        policy,
                        hit.anchor,
                        f"IAM password policy {policy.address} does not require {what}",
                        data={"attribute": argument, "missing": not hit.present},
                    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        argument = finding.data.get("attribute")
        if not isinstance(argument, str):
            return []
        hit = hit_of(module, finding, argument)
        edits = set_path_edits(module, hit, "true") if hit is not None else None
        if not edits:
            return []
        return [Fix(f"Require {REQUIREMENTS[argument]}", tuple(edits), "safe")]
