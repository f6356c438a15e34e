"""The App Service rules on two multi-file projects: a Linux web app whose TLS minimum and
remote debugging come from terraform.tfvars, a function app over plain HTTP with
authentication off, and a legacy azurerm_app_service (3.x argument names); and a hardened web
app, which must produce no finding of any rule."""

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
        "azure-appservice-https-only",
        "azure-appservice-minimum-tls",
        "azure-appservice-ftps",
        "azure-appservice-remote-debugging",
        "azure-appservice-managed-identity",
        "azure-appservice-client-certificates",
        "azure-appservice-http2",
        "azure-appservice-authentication",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

API = at("apps.tf", '"azurerm_linux_web_app" "api"')
JOBS = at("apps.tf", '"azurerm_linux_function_app" "jobs"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("azure-appservice-https-only", *API),
        ("azure-appservice-https-only", *at("apps.tf", "https_only                    = false")),
        ("azure-appservice-minimum-tls", *at("apps.tf", "= var.tls_version")),
        ("azure-appservice-minimum-tls", *at("legacy.tf", 'min_tls_version = "1.1"')),
        ("azure-appservice-remote-debugging", *at("apps.tf", "= var.debugging")),
        ("azure-appservice-ftps", *at("apps.tf", '"AllAllowed"')),
        ("azure-appservice-managed-identity", *API),
        ("azure-appservice-client-certificates", *API),
        ("azure-appservice-client-certificates", *JOBS),
        # The web app's site_config block: http2_enabled is left out.
        ("azure-appservice-http2", "apps.tf", API[1] + 6),
        ("azure-appservice-authentication", *API),
        ("azure-appservice-authentication", *at("apps.tf", "auth_enabled = false")),
    ]
    assert triples(insecure) == sorted(expected)


def test_azure_appservice_values_come_from_tfvars(insecure: ModuleResult) -> None:
    tls = one(insecure, "azure-appservice-minimum-tls", at("apps.tf", "= var.tls_version"))
    assert '"1.0"' in tls.message
    debug = one(insecure, "azure-appservice-remote-debugging", at("apps.tf", "= var.debugging"))
    assert "= true" in debug.message


def test_azure_appservice_ftps_is_silent_on_legacy_defaults(insecure: ModuleResult) -> None:
    # The legacy azurerm_app_service leaves ftps_state to Azure: no default to judge.
    addresses = {f.data["address"] for f in FAMILY.mine(insecure) if f.rule_id.endswith("ftps")}
    assert addresses == {"azurerm_linux_web_app.api"}


def test_hardened_project_has_no_finding_of_any_rule() -> None:
    result = analyze_clean(HARDENED)
    assert [(f.rule_id, f.message) for f in result.all_findings()] == []
