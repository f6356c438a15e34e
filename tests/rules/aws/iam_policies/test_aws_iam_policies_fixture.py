"""The IAM policy rules of the second AWS wave on two multi-file projects: policies in the three
forms (jsonencode, heredoc JSON, aws_iam_policy_document) granting write, permissions
management, credentials, secrets and iam:PassRole on every resource (the passable roles come
from terraform.tfvars), a trust policy naming an account whose id comes from terraform.tfvars,
and a root access key; and a hardened project, which must produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import ScanFiles
from tests.rules.aws.part2_helpers import every_finding
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import ModuleResult
from tfguard.findings import Severity
from tfguard.rules import registry

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "aws-iam-write-all-resources",
        "aws-iam-permissions-management-all-resources",
        "aws-iam-passrole-all-roles",
        "aws-iam-privilege-escalation",
        "aws-iam-credentials-exposure",
        "aws-iam-data-exfiltration",
        "aws-iam-wildcard-resource",
        "aws-iam-account-trust-without-mfa",
        "aws-iam-no-user-access-keys",
        "aws-iam-no-wildcard-admin",
        "aws-iam-no-service-wildcard",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

UPLOAD = at("policies.tf", 'Sid      = "Upload"')
# A heredoc's statements are reported on the policy argument (their JSON has no ranges).
SUPPORT = at("policies.tf", "policy = <<-EOF")
OPS = at("policies.tf", 'sid       = "ManagePermissions"')
PASS_ROLE = at("policies.tf", 'sid       = "PassInstanceRoles"')
LAUNCH = at("policies.tf", 'sid       = "Launch"')
READERS = at("policies.tf", '"secretsmanager:GetSecretValue", "ssm:GetParameter"')
REPORTING = at("policies.tf", 'sid       = "ReadOrders"')
ADMIN_TRUST = at("roles.tf", 'Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }')
ROOT_KEY = at("keys.tf", 'user    = "root"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def anchor_line(where: tuple[str, int], back: int) -> tuple[str, int]:
    """A statement's finding sits on the statement: ``back`` lines above the line named."""
    return where[0], where[1] - back


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    upload = anchor_line(UPLOAD, 1)  # the statement object's "{"
    support = SUPPORT
    ops, pass_role, launch = anchor_line(OPS, 1), anchor_line(PASS_ROLE, 1), anchor_line(LAUNCH, 1)
    readers = anchor_line(READERS, 2)
    reporting = anchor_line(REPORTING, 1)
    trust = anchor_line(ADMIN_TRUST, 3)
    expected = [
        ("aws-iam-write-all-resources", *upload),
        ("aws-iam-credentials-exposure", *support),
        ("aws-iam-privilege-escalation", *support),
        ("aws-iam-permissions-management-all-resources", *ops),
        ("aws-iam-passrole-all-roles", *pass_role),
        ("aws-iam-privilege-escalation", *pass_role),
        ("aws-iam-write-all-resources", *launch),
        ("aws-iam-data-exfiltration", *readers),
        ("aws-iam-wildcard-resource", *reporting),
        ("aws-iam-account-trust-without-mfa", *trust),
        ("aws-iam-no-user-access-keys", *ROOT_KEY),
    ]
    assert triples(insecure) == sorted(expected)


def test_aws_iam_write_all_resources_names_the_actions(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-iam-write-all-resources", anchor_line(UPLOAD, 1))
    assert '"s3:PutObject", "s3:DeleteObject"' in finding.message
    # ec2:DescribeInstances on "*" in the same policy cannot be scoped: not reported.
    assert "Describe" not in finding.message


def test_aws_iam_passrole_all_roles_reads_the_roles_from_tfvars(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-iam-passrole-all-roles", anchor_line(PASS_ROLE, 1))
    assert 'on "*"' in finding.message
    escalation = one(insecure, "aws-iam-privilege-escalation", anchor_line(PASS_ROLE, 1))
    assert escalation.data["methods"] == ["CreateEC2WithExistingIP"]


def test_aws_iam_credentials_exposure_is_high_for_iam_keys(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-iam-credentials-exposure", SUPPORT)
    assert finding.severity == Severity.HIGH
    assert "iam:CreateAccessKey" in finding.message
    # iam:CreateAccessKey is not reported again as a permissions-management or write action.
    on_support = [
        f.rule_id for f in FAMILY.mine(insecure) if f.range.start.line + 1 == SUPPORT[1]
    ]
    assert sorted(on_support) == ["aws-iam-credentials-exposure", "aws-iam-privilege-escalation"]


def test_aws_iam_data_exfiltration_lists_the_secret_reads(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-iam-data-exfiltration", anchor_line(READERS, 2))
    assert (
        "secretsmanager:GetSecretValue" in finding.message and "ssm:GetParameter" in finding.message
    )


def test_aws_iam_wildcard_resource_ignores_conditioned_statements(insecure: ModuleResult) -> None:
    found = [f for f in FAMILY.mine(insecure) if f.rule_id == "aws-iam-wildcard-resource"]
    assert [f.data["actions"] for f in found] == [["dynamodb:Query", "dynamodb:GetItem"]]


def test_aws_iam_account_trust_without_mfa_reads_the_account_from_tfvars(
    insecure: ModuleResult,
) -> None:
    finding = one(insecure, "aws-iam-account-trust-without-mfa", anchor_line(ADMIN_TRUST, 3))
    assert "arn:aws:iam::123456789012:root" in finding.message
    # The break-glass role requires MFA: not reported.
    assert "break_glass" not in " ".join(f.message for f in FAMILY.mine(insecure))


def test_aws_iam_no_user_access_keys_root_key_is_critical(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-iam-no-user-access-keys", ROOT_KEY)
    assert finding.severity == Severity.CRITICAL


STATEMENT_FORMS = {
    "jsonencode": """
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "*" }]
  })
}
""",
    "heredoc": """
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = <<-EOF
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": "*"}]}
  EOF
}
""",
    "document": """
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.p.json
}
""",
}


@pytest.mark.parametrize("form", sorted(STATEMENT_FORMS))
def test_the_three_policy_forms_give_the_same_grant(form: str, scan_files: ScanFiles) -> None:
    result = scan_files({"main.tf": STATEMENT_FORMS[form]})
    found = [f for f in result.all_findings() if f.rule_id in RULES]
    assert [f.rule_id for f in found] == ["aws-iam-write-all-resources"]
    assert found[0].data["actions"] == ["logs:PutLogEvents"]


def test_resource_policies_are_not_identity_grants(scan_files: ScanFiles) -> None:
    # In a key or bucket policy, Resource "*" means the resource the policy is attached to.
    result = scan_files(
        {
            "main.tf": """
data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:Decrypt", "kms:Encrypt"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/app"]
    }
  }
}

resource "aws_kms_key" "app" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}
"""
        }
    )
    assert [f for f in result.all_findings() if f.rule_id in RULES] == []


def test_the_rules_have_no_automatic_fix() -> None:
    for rule_id in RULES - {"aws-iam-no-user-access-keys", "aws-iam-no-wildcard-admin"}:
        rule = registry.get(rule_id)
        assert rule is not None and not rule.has_fix, rule_id


def test_hardened_project_has_no_findings() -> None:
    assert every_finding(analyze_clean(HARDENED)) == []
