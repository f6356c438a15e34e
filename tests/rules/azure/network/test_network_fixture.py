"""The Azure network rules on two multi-file projects: one with open NSG rules (inline
blocks, a dynamic block over a tfvars map, standalone rules with lists of prefixes and port
ranges), disabled or short flow logs, public NICs and missing WAFs; one hardened, which must
produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, related

from tfguard.engine import Engine, ModuleResult, fixes_for
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "azure-network-no-public-ssh",
        "azure-network-no-public-rdp",
        "azure-network-no-public-all-ports",
        "azure-network-no-public-sensitive-ports",
        "azure-network-flow-log-enabled",
        "azure-network-flow-log-retention",
        "azure-network-nic-public-ip",
        "azure-network-appgw-waf",
        "azure-network-frontdoor-waf",
        "azure-network-subnet-nsg",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("azure-network-no-public-ssh", *at("nsg.tf", "= var.admin_source")),
        ("azure-network-no-public-all-ports", *at("nsg.tf", '= "Internet"')),
        ("azure-network-no-public-sensitive-ports", *at("nsg.tf", "= security_rule.value.source")),
        ("azure-network-no-public-rdp", *at("rules.tf", '["10.0.0.0/8", "0.0.0.0/0"]')),
        ("azure-network-no-public-sensitive-ports", *at("rules.tf", '["10.0.0.0/8", "0.0.0.0/0"]')),
        ("azure-network-flow-log-enabled", *at("network.tf", "enabled              = false")),
        ("azure-network-flow-log-retention", *at("network.tf", "days    = 30")),
        ("azure-network-nic-public-ip", *at("network.tf", "public_ip_address_id")),
        ("azure-network-subnet-nsg", *at("network.tf", '"azurerm_subnet" "app"')),
        ("azure-network-appgw-waf", *at("edge.tf", '"azurerm_application_gateway" "web"')),
        # The second frontend_endpoint block opens the line above its name.
        ("azure-network-frontdoor-waf", "edge.tf", at("edge.tf", '= "legacy"')[1] - 1),
    ]
    assert triples(insecure) == sorted(expected)


def test_azure_network_no_public_ssh_reads_the_source_from_tfvars(insecure: ModuleResult) -> None:
    # variables.tf defaults admin_source to a private range; terraform.tfvars sets "*".
    ssh = one(insecure, "azure-network-no-public-ssh", at("nsg.tf", "= var.admin_source"))
    assert '"*"' in ssh.message and '"ssh"' in ssh.message
    assert ssh.severity == Severity.CRITICAL


def test_azure_network_no_public_sensitive_ports_expands_the_dynamic_block(
    insecure: ModuleResult,
) -> None:
    # Two dynamic rules come from terraform.tfvars: postgres from 0.0.0.0/0 (reported) and
    # redis from 10.0.0.0/8 (private, not reported).
    dynamic = one(
        insecure,
        "azure-network-no-public-sensitive-ports",
        at("nsg.tf", "security_rule.value.source"),
    )
    assert '"postgres"' in dynamic.message and "PostgreSQL (5432)" in dynamic.message
    assert "6379" not in dynamic.message


def test_azure_network_no_public_rdp_relates_the_nsg(insecure: ModuleResult) -> None:
    # The standalone rule names its NSG by reference; the range 3000-3400 covers RDP and
    # MySQL (3306), each reported by its own rule, and 443 by none.
    where = at("rules.tf", '["10.0.0.0/8", "0.0.0.0/0"]')
    rdp = one(insecure, "azure-network-no-public-rdp", where)
    assert related(rdp) == [at("nsg.tf", '"azurerm_network_security_group" "web"')]
    sensitive = one(insecure, "azure-network-no-public-sensitive-ports", where)
    assert "MySQL (3306)" in sensitive.message and "RDP" not in sensitive.message


def test_azure_network_rules_ignore_deny_and_outbound_rules(insecure: ModuleResult) -> None:
    addresses = {f.data["address"] for f in FAMILY.mine(insecure)}
    assert "azurerm_network_security_rule.outbound" not in addresses
    messages = " ".join(f.message for f in FAMILY.mine(insecure))
    assert "deny-rdp" not in messages


def test_azure_network_no_public_ssh_fix_narrows_a_literal_source(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "azurerm_network_security_rule" "ssh" {\n'
        '  name                        = "ssh"\n'
        "  priority                    = 100\n"
        '  direction                   = "Inbound"\n'
        '  access                      = "Allow"\n'
        '  protocol                    = "Tcp"\n'
        '  source_port_range           = "*"\n'
        '  destination_port_range      = "22"\n'
        '  source_address_prefix       = "Internet"\n'
        '  destination_address_prefix  = "*"\n'
        '  resource_group_name         = "rg"\n'
        '  network_security_group_name = "nsg"\n'
        "}\n",
        encoding="utf-8",
    )
    result = Engine().analyze_module(str(tmp_path))
    finding = next(f for f in result.all_findings() if f.rule_id == "azure-network-no-public-ssh")
    fixes = fixes_for(result, finding)
    assert len(fixes) == 1 and not fixes[0].preferred
    texts = sorted(e.new_text for e in fixes[0].edits)
    assert texts[0] == "var.ssh_allowed_source"
    assert 'variable "ssh_allowed_source"' in texts[1]


def test_hardened_project_has_no_finding_of_any_rule() -> None:
    result = analyze_clean(HARDENED)
    assert [(f.rule_id, f.message) for f in result.all_findings()] == []
