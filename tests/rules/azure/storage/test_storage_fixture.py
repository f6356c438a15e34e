"""The Azure storage rules on two multi-file projects: one with the usual mistakes (values
from terraform.tfvars overriding safe defaults, a for_each container, 3.x and 4.x argument
names, network rules in their own resource), one hardened, which must produce no finding of
any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, related

from tfguard.engine import ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "azure-storage-https-only",
        "azure-storage-minimum-tls",
        "azure-storage-no-public-nested-items",
        "azure-storage-container-private",
        "azure-storage-default-network-deny",
        "azure-storage-shared-key-disabled",
        "azure-storage-infrastructure-encryption",
        "azure-storage-customer-managed-key",
        "azure-storage-queue-logging",
        "azure-storage-blob-soft-delete",
        "azure-storage-container-soft-delete",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

DATA = at("main.tf", '"azurerm_storage_account" "data"')
LEGACY = at("main.tf", '"azurerm_storage_account" "legacy"')
LOGS = at("network.tf", '"azurerm_storage_account" "logs"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("azure-storage-https-only", *at("main.tf", "= var.https_only")),
        ("azure-storage-https-only", *at("main.tf", "enable_https_traffic_only = false")),
        ("azure-storage-minimum-tls", *at("main.tf", "= var.min_tls")),
        ("azure-storage-no-public-nested-items", *LEGACY),
        ("azure-storage-no-public-nested-items", *LOGS),
        ("azure-storage-container-private", *at("main.tf", "= each.value")),
        ("azure-storage-container-private", *at("main.tf", '= "container"')),
        ("azure-storage-default-network-deny", *at("main.tf", 'default_action = "Allow"')),
        ("azure-storage-default-network-deny", *LEGACY),
        ("azure-storage-default-network-deny", *at("network.tf", '= "Allow"')),
        ("azure-storage-shared-key-disabled", *DATA),
        ("azure-storage-shared-key-disabled", *at("main.tf", "shared_access_key_enabled = true")),
        ("azure-storage-infrastructure-encryption", *DATA),
        ("azure-storage-infrastructure-encryption", *LEGACY),
        ("azure-storage-infrastructure-encryption", *LOGS),
        ("azure-storage-customer-managed-key", *DATA),
        ("azure-storage-customer-managed-key", *LEGACY),
        ("azure-storage-customer-managed-key", *LOGS),
        ("azure-storage-queue-logging", *at("main.tf", "read                  = false")),
        ("azure-storage-blob-soft-delete", *LEGACY),
        ("azure-storage-container-soft-delete", *at("main.tf", "blob_properties {")),
        ("azure-storage-container-soft-delete", *LEGACY),
    ]
    assert triples(insecure) == sorted(expected)


def test_azure_storage_https_only_and_minimum_tls_read_tfvars(insecure: ModuleResult) -> None:
    # variables.tf defaults are safe; terraform.tfvars sets https_only = false, TLS1_1.
    https = one(insecure, "azure-storage-https-only", at("main.tf", "= var.https_only"))
    assert "https_traffic_only_enabled = false" in https.message
    tls = one(insecure, "azure-storage-minimum-tls", at("main.tf", "= var.min_tls"))
    assert '"TLS1_1"' in tls.message


def test_azure_storage_container_private_follows_the_account(insecure: ModuleResult) -> None:
    # The for_each container's "daily" instance is public (terraform.tfvars), but its account
    # disallows public containers: Azure refuses the setting, so the finding is low.
    daily = one(insecure, "azure-storage-container-private", at("main.tf", "= each.value"))
    assert daily.severity == Severity.LOW and '"daily"' in daily.message
    assert related(daily) == [DATA]
    # The other container names its 3.x account literally; that account allows public
    # containers (the azurerm default), so listing is open to anyone.
    public = one(insecure, "azure-storage-container-private", at("main.tf", '= "container"'))
    assert public.severity == Severity.HIGH and "list and read" in public.message
    assert related(public) == [LEGACY]


def test_azure_storage_default_network_deny_with_a_network_rules_resource(
    insecure: ModuleResult,
) -> None:
    # The logs account's rules live in azurerm_storage_account_network_rules (network.tf):
    # the finding is on that resource's Allow, not on the account.
    companion = one(insecure, "azure-storage-default-network-deny", at("network.tf", '= "Allow"'))
    assert "azurerm_storage_account_network_rules.logs" in companion.message
    missing = one(insecure, "azure-storage-default-network-deny", LEGACY)
    assert missing.data["missing"] is True


def test_hardened_project_has_no_finding_of_any_rule() -> None:
    result = analyze_clean(HARDENED)
    assert [(f.rule_id, f.message) for f in result.all_findings()] == []
