"""The Key Vault rules on two multi-file projects: vaults without purge protection, network
restriction or audit logs, and keys and secrets without expiry or with weak sizes (values from
terraform.tfvars); and a hardened project, which must produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import ModuleResult

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "azure-keyvault-purge-protection",
        "azure-keyvault-soft-delete-retention",
        "azure-keyvault-network-restricted",
        "azure-keyvault-rbac-authorization",
        "azure-keyvault-key-expiration",
        "azure-keyvault-secret-expiration",
        "azure-keyvault-secret-content-type",
        "azure-keyvault-key-strength",
        "azure-keyvault-key-hsm",
        "azure-keyvault-diagnostic-logs",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

APP = at("vault.tf", '"azurerm_key_vault" "app"')
SECRET = at("objects.tf", '"azurerm_key_vault_secret" "db"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("azure-keyvault-purge-protection", *APP),
        ("azure-keyvault-purge-protection", *at("vault.tf", "purge_protection_enabled  = false")),
        ("azure-keyvault-soft-delete-retention", *at("vault.tf", "= var.retention_days")),
        ("azure-keyvault-network-restricted", *APP),
        ("azure-keyvault-network-restricted", *at("vault.tf", 'default_action = "Allow"')),
        ("azure-keyvault-rbac-authorization", *APP),
        ("azure-keyvault-diagnostic-logs", *APP),
        ("azure-keyvault-key-expiration", *at("objects.tf", '"azurerm_key_vault_key" "storage"')),
        ("azure-keyvault-key-hsm", *at("objects.tf", 'key_type     = "RSA"')),
        ("azure-keyvault-key-strength", *at("objects.tf", "= var.key_size")),
        ("azure-keyvault-key-strength", *at("objects.tf", '"P-256K"')),
        ("azure-keyvault-secret-expiration", *SECRET),
        ("azure-keyvault-secret-content-type", *SECRET),
    ]
    assert triples(insecure) == sorted(expected)


def test_azure_keyvault_values_come_from_tfvars(insecure: ModuleResult) -> None:
    # variables.tf defaults are 90 days and 4096 bits; terraform.tfvars sets 7 and 2048.
    retention = one(
        insecure, "azure-keyvault-soft-delete-retention", at("vault.tf", "var.retention")
    )
    assert "7 days" in retention.message
    size = one(insecure, "azure-keyvault-key-strength", at("objects.tf", "= var.key_size"))
    assert "2048-bit" in size.message


def test_azure_keyvault_diagnostic_logs_follows_target_resource_id(insecure: ModuleResult) -> None:
    # The shared vault has a diagnostic setting pointing at it; the app vault has none.
    addresses = {
        f.data["address"]
        for f in FAMILY.mine(insecure)
        if f.rule_id == "azure-keyvault-diagnostic-logs"
    }
    assert addresses == {"azurerm_key_vault.app"}


def test_hardened_project_has_no_finding_of_any_rule() -> None:
    result = analyze_clean(HARDENED)
    assert [(f.rule_id, f.message) for f in result.all_findings()] == []
