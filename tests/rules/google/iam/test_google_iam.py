"""The Google IAM, KMS and credential rules on two multi-file projects: primitive and
impersonation roles (members partly from terraform.tfvars), a policy data source applied to
a project, public members on several services, a service-account key, an unconditioned
GitHub workload identity provider, unrotated keys and audit exemptions; and a hardened
project that no rule may report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, related

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity
from tfguard.rules import registry

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

PREFIXES = (
    "google-iam-",
    "google-kms-",
    "google-provider-",
    "google-project-audit",
    "google-cloudrun-",
    "google-cloudfunctions-",
    "google-pubsub-no-public",
    "google-artifact-registry-",
)
RULES = frozenset(r.id for r in registry.all_rules() if r.id.startswith(PREFIXES))

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_iam_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("google-iam-no-primitive-roles", "iam.tf", at("iam.tf", "ci@shop")[1] - 1),
        ("google-iam-no-primitive-roles", *at("iam.tf", '"roles/owner"')),
        # user:founder@gmail.com comes from terraform.tfvars
        ("google-iam-no-personal-accounts", *at("iam.tf", "members = var.owners")),
        ("google-iam-no-service-account-impersonation", *at("iam.tf", "TokenCreator")),
        ("google-iam-no-service-account-impersonation", *at("iam.tf", "serviceAccountUser")),
        ("google-iam-service-account-admin-role", *at("iam.tf", "roles/storage.admin")),
        ("google-iam-no-default-service-account-roles", *at("iam.tf", "-compute@developer")),
        ("google-iam-no-public-members", *at("iam.tf", 'members = ["allUsers"]')),
        ("google-iam-no-public-members", *at("public.tf", 'member    = "allAuthenticated')),
        ("google-kms-key-no-public-access", *at("public.tf", 'member        = "allUsers"')),
        ("google-cloudrun-no-public-invoker", *at("public.tf", 'member   = "allUsers"')),
        ("google-cloudfunctions-no-public-invoker", *at("public.tf", 'member         = "all')),
        ("google-pubsub-no-public-access", *at("public.tf", '"allAuthenticatedUsers", "')),
        ("google-artifact-registry-no-public-access", *at("public.tf", 'member     = "all')),
        ("google-iam-service-account-key", *at("keys.tf", '"google_service_account_key"')),
        ("google-iam-workload-identity-condition", *at("keys.tf", '_pool_provider" "github"')),
        ("google-kms-key-rotation", *at("keys.tf", 'crypto_key" "data"')),
        ("google-kms-key-rotation", *at("keys.tf", '"31536000s"')),
        ("google-project-audit-logging", *at("audit.tf", "audit_config")),
        ("google-project-audit-logging", *at("audit.tf", "exempted_members")),
        ("google-provider-static-credentials", *at("versions.tf", "file(var.key_file)")),
    ]
    assert triples(insecure) == sorted(expected)


def test_google_iam_no_public_members_on_a_project_is_critical(insecure: ModuleResult) -> None:
    project = one(insecure, "google-iam-no-public-members", at("iam.tf", '["allUsers"]'))
    assert project.severity == Severity.CRITICAL
    # The binding sits in the data source; the resource that applies it is related.
    assert related(project) == [at("iam.tf", '"google_project_iam_policy" "sandbox"')]
    secret = one(insecure, "google-iam-no-public-members", at("public.tf", 'member    = "allAuth'))
    assert secret.severity == Severity.HIGH


def test_google_service_agents_are_not_reported(insecure: ModuleResult) -> None:
    addresses = {f.data["address"] for f in FAMILY.mine(insecure)}
    assert "google_project_iam_member.cloudservices" not in addresses


def test_without_tfvars_no_personal_account_is_granted(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    found = {f.rule_id for f in FAMILY.mine(Engine().analyze_module(str(project)))}
    assert "google-iam-no-personal-accounts" not in found
    assert "google-iam-no-primitive-roles" in found


def test_hardened_iam_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    assert [
        (f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()
    ] == []
