"""The account-level rules on two projects that set up an account's security services: a
password policy whose length comes from terraform.tfvars, EBS encryption by default switched
off, Macie paused, an Access Analyzer for unused access only and no Security Hub; and a
hardened project, which must produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.aws.aws_fix_helpers import applied, changed_lines
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, related

from tfguard.engine import ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "aws-iam-password-policy-length",
        "aws-iam-password-policy-reuse",
        "aws-iam-password-policy-complexity",
        "aws-ec2-ebs-encryption-by-default",
        "aws-macie-enabled",
        "aws-iam-access-analyzer-enabled",
        "aws-securityhub-enabled",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

POLICY = at("account.tf", '"aws_iam_account_password_policy" "main"')
GUARDDUTY = at("account.tf", '"aws_guardduty_detector" "main"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("aws-iam-password-policy-length", *at("account.tf", "= var.password_length")),
        ("aws-iam-password-policy-reuse", *POLICY),
        ("aws-iam-password-policy-complexity", *POLICY),  # require_symbols left out
        ("aws-iam-password-policy-complexity", *at("account.tf", "uppercase_characters = f")),
        ("aws-ec2-ebs-encryption-by-default", *at("account.tf", "enabled = false")),
        ("aws-macie-enabled", *at("account.tf", '"PAUSED"')),
        ("aws-iam-access-analyzer-enabled", *at("account.tf", '"ACCOUNT_UNUSED_ACCESS"')),
        # The module manages account-wide services: it is asked for Security Hub too.
        ("aws-securityhub-enabled", *GUARDDUTY),
    ]
    assert triples(insecure) == sorted(expected)


def test_aws_iam_password_policy_length_reads_tfvars(insecure: ModuleResult) -> None:
    # The variable's default is 16; terraform.tfvars sets 8.
    finding = one(insecure, "aws-iam-password-policy-length", at("account.tf", "var.password"))
    assert finding.severity == Severity.MEDIUM and "8 characters" in finding.message
    assert applied(insecure, finding) == []  # the value is defined in terraform.tfvars


def test_aws_iam_password_policy_fixes(insecure: ModuleResult) -> None:
    reuse = one(insecure, "aws-iam-password-policy-reuse", POLICY)
    [fix] = applied(insecure, reuse)
    _, added = changed_lines((INSECURE / "account.tf").read_text(), fix.files["account.tf"])
    assert fix.preferred and added == ["password_reuse_prevention = 24"]
    upper = one(insecure, "aws-iam-password-policy-complexity", at("account.tf", "uppercase"))
    [fix] = applied(insecure, upper)
    removed, added = changed_lines((INSECURE / "account.tf").read_text(), fix.files["account.tf"])
    assert removed == ["require_uppercase_characters = false"]
    assert added == ["require_uppercase_characters = true"]


def test_aws_securityhub_enabled_relates_the_baseline(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-securityhub-enabled", GUARDDUTY)
    assert finding.severity == Severity.LOW
    assert related(finding) == [
        POLICY,
        at("account.tf", '"aws_ebs_encryption_by_default" "main"'),
        at("account.tf", '"aws_macie2_account" "main"'),
        at("account.tf", '"aws_accessanalyzer_analyzer" "unused"'),
    ]


def test_a_single_purpose_module_is_not_a_baseline(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_guardduty_detector" "main" {\n  enable = true\n}\n', encoding="utf-8"
    )
    result = analyze_clean(tmp_path)
    assert [f for f in result.all_findings() if f.rule_id in RULES] == []


def test_hardened_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    found = [(f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()]
    assert found == []
