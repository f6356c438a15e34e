"""The identity rules on two multi-file projects: a provider with a client secret,
subscription- and management-group-wide admin role assignments (a role name from
terraform.tfvars, a role by definition GUID, a scope built from a variable), custom roles with
"*" or role-management actions, and Linux VMs accepting SSH passwords; and a hardened project
(OIDC, scoped roles, SSH keys), which must produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "azure-provider-static-credentials",
        "azure-iam-privileged-role-assignment",
        "azure-iam-custom-role-wildcard",
        "azure-iam-custom-role-creation",
        "azure-compute-password-authentication",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("azure-provider-static-credentials", *at("versions.tf", "= var.client_secret")),
        ("azure-iam-privileged-role-assignment", *at("roles.tf", "= var.ci_role")),
        ("azure-iam-privileged-role-assignment", *at("roles.tf", '= "Owner"')),
        ("azure-iam-privileged-role-assignment", *at("roles.tf", "18d7d88d-d35e")),
        ("azure-iam-custom-role-wildcard", *at("roles.tf", '["*"]')),
        # The actions list opens two lines above the write action.
        (
            "azure-iam-custom-role-creation",
            "roles.tf",
            at("roles.tf", "roleAssignments/write")[1] - 2,
        ),
        # The jump VM's flag is on the line after its admin_password.
        (
            "azure-compute-password-authentication",
            "vms.tf",
            at("vms.tf", "admin_password                  =")[1] + 1,
        ),
        ("azure-compute-password-authentication", *at("vms.tf", "    disable_password_auth")),
    ]
    assert triples(insecure) == sorted(expected)


def test_azure_iam_privileged_role_assignment_scopes_and_roles(insecure: ModuleResult) -> None:
    # terraform.tfvars turns the CI role into Contributor; the scope is the subscription data
    # source. Owner on a management group is high.
    ci = one(insecure, "azure-iam-privileged-role-assignment", at("roles.tf", "= var.ci_role"))
    assert "Contributor on the whole subscription" in ci.message
    owner = one(insecure, "azure-iam-privileged-role-assignment", at("roles.tf", '= "Owner"'))
    assert owner.severity == Severity.HIGH and "management group" in owner.message
    # A role named by its definition GUID, at a scope written "/subscriptions/${var...}".
    uaa = one(insecure, "azure-iam-privileged-role-assignment", at("roles.tf", "18d7d88d"))
    assert "User Access Administrator" in uaa.message


def test_azure_provider_static_credentials_literal_secret_is_critical(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "azurerm" {\n  features {}\n  client_id     = "app"\n'
        '  client_secret = "Xq8~fake-but-literal-secret-value"\n}\n',
        encoding="utf-8",
    )
    result = Engine().analyze_module(str(tmp_path))
    found = [f for f in result.all_findings() if f.rule_id == "azure-provider-static-credentials"]
    assert len(found) == 1 and found[0].severity == Severity.CRITICAL
    assert found[0].data["literal"] == ["client_secret"]


def test_hardened_project_has_no_finding_of_any_rule() -> None:
    result = analyze_clean(HARDENED)
    assert [(f.rule_id, f.message) for f in result.all_findings()] == []
