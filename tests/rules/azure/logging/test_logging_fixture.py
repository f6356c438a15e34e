"""The logging and defence rules (Defender plans, security contacts, the activity log
profile, container registries) on two multi-file projects: one where terraform.tfvars turns a
for_each Defender plan to Free and shortens the activity log retention, one hardened, which
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
        "azure-security-defender-standard",
        "azure-security-contact-alerts",
        "azure-security-contact-admins",
        "azure-security-contact-email",
        "azure-monitor-log-profile-retention",
        "azure-monitor-log-profile-categories",
        "azure-acr-admin-disabled",
        "azure-acr-anonymous-pull",
        "azure-acr-public-network-access",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("azure-security-defender-standard", *at("defender.tf", "= each.value")),
        ("azure-security-defender-standard", *at("defender.tf", '= "Free"')),
        ("azure-security-contact-alerts", *at("defender.tf", "alert_notifications = false")),
        ("azure-security-contact-admins", *at("defender.tf", "alerts_to_admins    = false")),
        ("azure-security-contact-email", *at("defender.tf", '= ""')),
        ("azure-monitor-log-profile-retention", *at("monitor.tf", "= var.log_retention_days")),
        ("azure-monitor-log-profile-categories", *at("monitor.tf", '["Write", "Delete"]')),
        ("azure-acr-admin-disabled", *at("monitor.tf", "admin_enabled          = true")),
        ("azure-acr-anonymous-pull", *at("monitor.tf", "anonymous_pull_enabled = true")),
        ("azure-acr-public-network-access", *at("monitor.tf", '"azurerm_container_registry"')),
    ]
    assert triples(insecure) == sorted(expected)


def test_azure_security_defender_standard_reads_each_for_each_instance(
    insecure: ModuleResult,
) -> None:
    # terraform.tfvars sets SqlServers = "Free" in the plans map: one instance is Free.
    plans = one(insecure, "azure-security-defender-standard", at("defender.tf", "= each.value"))
    assert '"Free"' in plans.message


def test_azure_monitor_log_profile_retention_reads_tfvars(insecure: ModuleResult) -> None:
    retention = one(
        insecure, "azure-monitor-log-profile-retention", at("monitor.tf", "var.log_retention")
    )
    assert "90 days" in retention.message


def test_hardened_project_has_no_finding_of_any_rule() -> None:
    result = analyze_clean(HARDENED)
    assert [(f.rule_id, f.message) for f in result.all_findings()] == []
