"""The IAM rules on two realistic multi-file projects: an account with the usual access-control
mistakes (OIDC trust without a subject, public trust, admin and service-wide wildcards,
NotAction, user policies and access keys) in all three policy forms, and a hardened account
(scoped GitHub/HCP Terraform/EKS roles, organisation-bound trust, group-based people, a KMS
key policy), which must produce none of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import ScanFiles
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, line_of, related

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity
from tfguard.rules.aws.aws_iam_oidc_trust_without_sub import is_bare_wildcard

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

ADMIN = "aws-iam-no-wildcard-admin"
SERVICE = "aws-iam-no-service-wildcard"
NOT_ACTION = "aws-iam-no-allow-not-action"
PUBLIC = "aws-iam-trust-public-principal"
OIDC = "aws-iam-oidc-trust-without-sub"
USER_POLICY = "aws-iam-no-user-attached-policies"
ACCESS_KEY = "aws-iam-no-user-access-keys"
RULES = frozenset({ADMIN, SERVICE, NOT_ACTION, PUBLIC, OIDC, USER_POLICY, ACCESS_KEY})


FAMILY = RuleFamily(RULES, INSECURE)
at, mine, triples, one = FAMILY.at, FAMILY.mine, FAMILY.triples, FAMILY.one


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def opening(file: str, snippet: str, opener: str = "{") -> tuple[str, int]:
    """The line, at or above ``snippet``, where the statement holding it opens: a lone ``{``
    for a jsonencode() object, ``statement {`` for a policy document."""
    lines = (INSECURE / file).read_text(encoding="utf-8").splitlines()
    for i in range(line_of(INSECURE, file, snippet) - 1, -1, -1):
        if lines[i].strip() == opener:
            return file, i + 1
    raise AssertionError((file, snippet))


def statement_after(file: str, resource: str) -> tuple[str, int]:
    """The ``Statement = [{`` line of a jsonencode() policy after a resource header."""
    lines = (INSECURE / file).read_text(encoding="utf-8").splitlines()
    start = line_of(INSECURE, file, resource)
    for i in range(start, len(lines)):
        if "Statement = [{" in lines[i]:
            return file, i + 1
    raise AssertionError((file, resource))


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        # Web-identity trust: aud only (document), repo:* through a local (jsonencode with an
        # unknown account id), no condition at all (GitLab), EKS in a heredoc and a document.
        (OIDC, *at("github_oidc.tf", "statement {")),
        (OIDC, *statement_after("github_oidc.tf", '"aws_iam_role" "preview"')),
        (OIDC, *statement_after("github_oidc.tf", '"aws_iam_role" "gitlab"')),
        (OIDC, *at("eks.tf", "assume_role_policy = <<-JSON")),
        (OIDC, *at("eks.tf", "statement {")),
        # Public trust: AWS = "*", and "arn:aws:iam::*:root" with a negated condition.
        (PUBLIC, *statement_after("trust.tf", '"aws_iam_role" "reporting"')),
        (PUBLIC, *at("trust.tf", "statement {")),
        # Permissions in all three forms.
        (ADMIN, *at("policies.tf", "policy = <<-JSON")),
        (SERVICE, *opening("policies.tf", '"Artifacts"', "statement {")),
        (SERVICE, *opening("policies.tf", '"Runners"', "statement {")),
        (SERVICE, *statement_after("policies.tf", '"aws_iam_role_policy" "bootstrap"')),
        (NOT_ACTION, *statement_after("policies.tf", 'name = "power-user"')),
        (NOT_ACTION, *opening("policies.tf", "NotResource = ")),
        # Users.
        (USER_POLICY, *at("users.tf", "user       = aws_iam_user.legacy_sync.name")),
        (USER_POLICY, *at("users.tf", "user   = aws_iam_user.legacy_sync.name")),
        (USER_POLICY, *at("users.tf", "users      = [aws_iam_user.legacy_sync.name]")),
        (ACCESS_KEY, *at("users.tf", '"aws_iam_access_key" "legacy_sync"')),
        (ACCESS_KEY, *at("users.tf", '"aws_iam_access_key" "legacy_sync_pgp"')),
    ]
    assert triples(insecure) == sorted(expected)


def test_oidc_findings_name_issuer_and_claim(insecure: ModuleResult) -> None:
    deploy = one(insecure, OIDC, at("github_oidc.tf", "statement {"))
    assert deploy.severity == Severity.CRITICAL
    assert deploy.data["claim"] == "token.actions.githubusercontent.com:sub"
    assert "any repository on GitHub" in deploy.message
    # The document is related to the role that uses it as its trust policy.
    assert related(deploy) == [at("github_oidc.tf", '"aws_iam_role" "deploy"')]
    preview = one(insecure, OIDC, statement_after("github_oidc.tf", '"aws_iam_role" "preview"'))
    assert preview.data["problem"] == "wildcard" and '"repo:*"' in preview.message
    # The EKS issuer comes from terraform.tfvars through the provider resource's url.
    dns = one(insecure, OIDC, at("eks.tf", "<<-JSON"))
    assert dns.severity == Severity.HIGH
    assert dns.data["claim"] == "oidc.eks.eu-west-1.amazonaws.com/id/5C1D8E0A7B3F:sub"
    karpenter = one(insecure, OIDC, at("eks.tf", "statement {"))
    assert '"system:serviceaccount:*:*"' in karpenter.message


def test_severities_and_messages(insecure: ModuleResult) -> None:
    bootstrap = statement_after("policies.tf", '"aws_iam_role_policy" "bootstrap"')
    iam = one(insecure, SERVICE, bootstrap)
    assert iam.severity == Severity.CRITICAL and iam.data["services"] == ["iam"]
    s3 = one(insecure, SERVICE, opening("policies.tf", '"Artifacts"', "statement {"))
    assert s3.severity == Severity.HIGH and s3.data["services"] == ["s3"]
    # local.ci_actions (locals.tf) holds "ec2:*".
    runners = one(insecure, SERVICE, opening("policies.tf", '"Runners"', "statement {"))
    assert runners.data["services"] == ["ec2"]
    not_resource = [f for f in mine(insecure) if f.data.get("element") == "NotResource"]
    assert [f.severity for f in not_resource] == [Severity.MEDIUM]
    key = one(insecure, ACCESS_KEY, at("users.tf", '"aws_iam_access_key" "legacy_sync"'))
    assert key.severity == Severity.MEDIUM and "plain text in the state" in key.message
    assert related(key) == [at("users.tf", '"aws_iam_user" "legacy_sync"')]
    partner = one(insecure, PUBLIC, at("trust.tf", "statement {"))
    assert related(partner) == [at("trust.tf", '"aws_iam_role" "partner"')]


def test_unknown_values_and_scoped_statements_stay_silent(insecure: ModuleResult) -> None:
    addresses = {(f.rule_id, f.data["address"]) for f in mine(insecure)}
    for silent in (
        # The issuer and the condition key come from a module: unknown.
        (OIDC, "aws_iam_role.cluster_autoscaler"),
        # Public principals pinned to the organisation / an external id (unknown value).
        (PUBLIC, "aws_iam_role.org_readonly"),
        (PUBLIC, "aws_iam_role.vendor"),
        # users = var.extra_users has no value; an inactive key is not a live credential.
        (USER_POLICY, "aws_iam_policy_attachment.extra"),
        (ACCESS_KEY, "aws_iam_access_key.retired"),
        # kms:* on "*" in a key policy means this key, for the account.
        (SERVICE, "aws_kms_key.orders"),
    ):
        assert silent not in addresses, silent
    # Of the CI document's four statements, the scoped and the unknown ones are silent.
    ci = [f for f in mine(insecure) if f.data["address"] == "data.aws_iam_policy_document.ci"]
    assert len(ci) == 2
    # The Deny + NotAction guard rail of the auditors' policy is fine.
    assert [f.data["element"] for f in mine(insecure) if f.rule_id == NOT_ACTION] == [
        "NotAction",
        "NotResource",
    ]


def test_hardened_account_has_no_iam_findings() -> None:
    result = analyze_clean(HARDENED)
    assert triples(result) == []
    assert result.module is not None
    assert len(result.module.of_type("aws_iam_role")) == 7


@pytest.mark.parametrize(
    ("value", "bare"),
    [
        ("*", True),
        ("repo:*", True),
        ("repo:*/*:*", True),
        ("system:serviceaccount:*:*", True),
        ("project_path:*", True),
        ("organization:*:project:*:workspace:*:run_phase:*", True),
        ("repo:acme/*", False),
        ("repo:acme/app:ref:refs/heads/main", False),
        ("system:serviceaccount:kube-system:*", False),
        ("organization:acme:project:*:workspace:*:run_phase:*", False),
    ],
)
def test_bare_subject_wildcards(value: str, bare: bool) -> None:
    assert is_bare_wildcard(value) is bare


GITHUB_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"


def test_subject_conditions_combine_like_iam(scan_files: ScanFiles) -> None:
    """Conditions are ANDed: one scoped sub condition is enough; a negated one scopes
    nothing; StringLike values are ORed, so one bare wildcard opens the role."""

    def trust(condition: str) -> str:
        return f"""
resource "aws_iam_role" "r" {{
  name = "r"
  assume_role_policy = jsonencode({{
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = {{ Federated = "{GITHUB_PROVIDER}" }}
      Condition = {condition}
    }}]
  }})
}}
"""

    cases = {
        '{ StringLike = { "token.actions.githubusercontent.com:sub" = ["repo:acme/app:*"] }, '
        'StringEquals = { "token.actions.githubusercontent.com:sub" = "*" } }': None,
        '{ StringNotEquals = { "token.actions.githubusercontent.com:sub" = "repo:evil/x:*" } }': (
            "missing"
        ),
        '{ StringLike = { "token.actions.githubusercontent.com:sub" = '
        '["repo:acme/app:*", "repo:*"] } }': "wildcard",
        '{ StringLike = { "token.actions.githubusercontent.com:sub" = var.subjects } }': None,
    }
    for condition, problem in cases.items():
        result = scan_files({"main.tf": trust(condition)})
        found = [f for f in result.all_findings() if f.rule_id == OIDC]
        assert [f.data["problem"] for f in found] == ([problem] if problem else []), condition


def test_service_wildcards_ignore_resource_policies_and_admin(scan_files: ScanFiles) -> None:
    result = scan_files(
        {
            "main.tf": """
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = ["*", "s3:*"], Resource = "*" },
      { Effect = "Allow", Action = "S3:*", Resource = ["arn:aws:s3:::a", "*"] },
      { Effect = "Allow", Action = "s3:Get*", Resource = "*" },
      { Effect = "Deny", Action = "s3:*", Resource = "*" },
    ]
  })
}

resource "aws_s3_bucket_policy" "b" {
  bucket = "b"
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Action = "s3:*", Resource = "*",
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
    }]
  })
}
"""
        }
    )
    findings = result.all_findings()
    assert [f.range.start.line + 1 for f in findings if f.rule_id == ADMIN] == [5]
    assert [f.range.start.line + 1 for f in findings if f.rule_id == SERVICE] == [6]


def test_without_tfvars_the_eks_issuer_is_unknown(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    result = Engine().analyze_module(str(project))
    eks = sorted(
        (f.data["address"], f.data["claim"])
        for f in mine(result)
        if f.rule_id == OIDC and Path(f.path).name == "eks.tf"
    )
    # external-dns checks an aud of its own issuer: with the issuer unknown, nothing is
    # certain. Karpenter's bare-wildcard subject is wrong whatever the issuer is.
    assert eks == [
        (
            "data.aws_iam_policy_document.karpenter_trust",
            "oidc.eks.eu-west-1.amazonaws.com/id/5C1D8E0A7B3F:sub",
        )
    ]


def test_empty_pgp_key_and_empty_subject_lists(scan_files: ScanFiles) -> None:
    result = scan_files(
        {
            "main.tf": f"""
variable "pgp_key" {{
  default = ""
}}

variable "subjects" {{
  type    = list(string)
  default = []
}}

resource "aws_iam_access_key" "ci" {{
  user    = "ci"
  pgp_key = var.pgp_key
}}

data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {{
      type        = "Federated"
      identifiers = ["{GITHUB_PROVIDER}"]
    }}
    condition {{
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = [for s in var.subjects : "repo:${{s}}"]
    }}
  }}
}}

resource "aws_iam_role" "ci" {{
  name               = "ci"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}}
"""
        }
    )
    assert not result.rule_errors
    findings = result.all_findings()
    # An empty pgp_key encrypts nothing: the secret is in the state.
    assert [(f.rule_id, f.severity) for f in findings if f.rule_id == ACCESS_KEY] == [
        (ACCESS_KEY, Severity.MEDIUM)
    ]
    # A sub condition without values never matches: nobody can assume the role.
    assert [f for f in findings if f.rule_id == OIDC] == []
