"""The AKS rules on two multi-file projects: clusters with RBAC off, a public API server
(authorized ranges from terraform.tfvars that open it to everyone), node public IPs, no
network policy or add-ons, with 3.x and 4.x argument names; and a hardened cluster, which
must produce no finding of any rule."""

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
        "azure-aks-rbac-enabled",
        "azure-aks-entra-id-integration",
        "azure-aks-local-accounts-disabled",
        "azure-aks-api-server-restricted",
        "azure-aks-network-policy",
        "azure-aks-azure-policy",
        "azure-aks-disk-encryption-set",
        "azure-aks-node-public-ip",
        "azure-aks-automatic-upgrades",
        "azure-aks-workload-identity",
        "azure-aks-monitoring",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

MAIN = at("cluster.tf", '"azurerm_kubernetes_cluster" "main"')
DEV = at("cluster.tf", '"azurerm_kubernetes_cluster" "dev"')
# Rules whose finding sits on each cluster's header (the argument is left out).
ON_BOTH_HEADERS = (
    "azure-aks-azure-policy",
    "azure-aks-disk-encryption-set",
    "azure-aks-entra-id-integration",
    "azure-aks-local-accounts-disabled",
    "azure-aks-monitoring",
    "azure-aks-workload-identity",
)


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        *((rule, *where) for rule in ON_BOTH_HEADERS for where in (MAIN, DEV)),
        ("azure-aks-rbac-enabled", *at("cluster.tf", "role_based_access_control_enabled = f")),
        ("azure-aks-api-server-restricted", *at("cluster.tf", "= var.api_ranges")),
        ("azure-aks-api-server-restricted", *at("cluster.tf", "private_cluster_enabled = false")),
        ("azure-aks-automatic-upgrades", *at("cluster.tf", '= "none"')),
        ("azure-aks-automatic-upgrades", *DEV),
        ("azure-aks-network-policy", *at("cluster.tf", "network_profile {")),
        ("azure-aks-network-policy", *DEV),
        ("azure-aks-node-public-ip", *at("cluster.tf", "= var.node_public_ip")),
        ("azure-aks-node-public-ip", *at("pools.tf", "node_public_ip_enabled = true")),
    ]
    assert triples(insecure) == sorted(expected)


def test_azure_aks_api_server_restricted_reads_ranges_from_tfvars(insecure: ModuleResult) -> None:
    # variables.tf defaults to a /24; terraform.tfvars opens the API server to 0.0.0.0/0.
    main = one(insecure, "azure-aks-api-server-restricted", at("cluster.tf", "var.api_ranges"))
    assert "0.0.0.0/0" in main.message


def test_azure_aks_node_public_ip_skips_pools_with_count_zero(insecure: ModuleResult) -> None:
    addresses = {f.data["address"] for f in FAMILY.mine(insecure)}
    assert "azurerm_kubernetes_cluster_node_pool.spare" not in addresses


def test_hardened_project_has_no_finding_of_any_rule() -> None:
    result = analyze_clean(HARDENED)
    assert [(f.rule_id, f.message) for f in result.all_findings()] == []
