"""The Google Cloud network rules on two multi-file projects: one with the usual mistakes (open
firewall rules, partly through terraform.tfvars and dynamic blocks; auto-mode networks; bare
subnetworks; unsigned zones), one hardened, which no rule may report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, related

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity
from tfguard.fixes import apply_edits
from tfguard.rules import registry

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "google-compute-firewall-no-public-ssh",
        "google-compute-firewall-no-public-rdp",
        "google-compute-firewall-no-public-all-ports",
        "google-compute-firewall-no-public-database-ports",
        "google-compute-firewall-no-public-ingress",
        "google-compute-subnetwork-flow-logs",
        "google-compute-subnetwork-private-google-access",
        "google-compute-network-no-auto-subnetworks",
        "google-project-no-default-network",
        "google-compute-default-network-in-use",
        "google-compute-router-nat-logging",
        "google-dns-zone-dnssec",
        "google-dns-zone-no-rsasha1",
        "google-compute-ssl-policy-tls",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

ADMIN_SOURCES = at("firewall.tf", "source_ranges = var.admin_ranges")


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_network_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        # firewall: the admin ranges are 0.0.0.0/0 only in terraform.tfvars
        ("google-compute-firewall-no-public-ssh", *ADMIN_SOURCES),
        ("google-compute-firewall-no-public-rdp", *ADMIN_SOURCES),
        ("google-compute-firewall-no-public-all-ports", *at("firewall.tf", '"::/0"]')),
        (
            "google-compute-firewall-no-public-database-ports",
            *at("firewall.tf", '"10.10.0.0/20", "0.0.0.0/0"'),
        ),
        (
            "google-compute-firewall-no-public-ingress",
            *at("firewall.tf", "# anyone"),
        ),
        # network, subnetworks, NAT
        ("google-project-no-default-network", *at("network.tf", '"google_project" "shop"')),
        ("google-compute-network-no-auto-subnetworks", *at("network.tf", '_network" "main"')),
        ("google-compute-subnetwork-flow-logs", *at("network.tf", 'subnetwork" "app"')),
        ("google-compute-subnetwork-private-google-access", *at("network.tf", 'subnetwork" "app"')),
        ("google-compute-router-nat-logging", *at("network.tf", "enable = false")),
        # DNS, TLS, the default network
        ("google-dns-zone-dnssec", *at("edge.tf", 'zone" "public"')),
        ("google-dns-zone-no-rsasha1", *at("edge.tf", '"rsasha1"')),
        ("google-compute-ssl-policy-tls", *at("edge.tf", '"google_compute_ssl_policy"')),
        ("google-compute-default-network-in-use", *at("edge.tf", 'network = "default"')),
    ]
    assert triples(insecure) == sorted(expected)


def test_google_compute_firewall_public_rules_relate_the_allow_blocks(
    insecure: ModuleResult,
) -> None:
    ssh = one(insecure, "google-compute-firewall-no-public-ssh", ADMIN_SOURCES)
    # The allow block that admits the port, and where the open range is set.
    assert related(ssh) == [
        at("firewall.tf", 'ports    = ["22", "3389"]'),
        ("terraform.tfvars", 2),
    ]
    assert "0.0.0.0/0" in ssh.message
    # Two allow blocks, one open on every TCP port; ICMP is not an all-ports exposure.
    everything = one(
        insecure, "google-compute-firewall-no-public-all-ports", at("firewall.tf", '"::/0"]')
    )
    assert "0.0.0.0/0 and ::/0" in everything.message
    file, comment = at("firewall.tf", "# every TCP port")
    assert related(everything) == [(file, comment + 1)]
    # The dynamic allow block expands per database port from terraform.tfvars.
    databases = one(
        insecure,
        "google-compute-firewall-no-public-database-ports",
        at("firewall.tf", '"10.10.0.0/20", "0.0.0.0/0"'),
    )
    assert "PostgreSQL (5432)" in databases.message and "Redis (6379)" in databases.message


def test_google_compute_firewall_no_public_ingress_grades_by_port(insecure: ModuleResult) -> None:
    web = one(
        insecure,
        "google-compute-firewall-no-public-ingress",
        at("firewall.tf", "# anyone"),
    )
    # local.web_ports: 8080 and 8443, neither a web port nor sensitive.
    assert web.severity == Severity.MEDIUM
    assert "TCP ports 8080, 8443" in web.message


def test_disabled_egress_and_absent_firewall_rules_are_silent(insecure: ModuleResult) -> None:
    addresses = {f.data["address"] for f in FAMILY.mine(insecure)}
    for silent in (
        "google_compute_firewall.break_glass",  # disabled = true
        "google_compute_firewall.egress",  # direction = "EGRESS"
        "google_compute_firewall.legacy",  # count = 0
        "google_compute_subnetwork.proxy_only",  # no flow logs for proxy-only subnetworks
    ):
        assert silent not in addresses
    # The signed zone is only reported for its key algorithm.
    signed = [f.rule_id for f in FAMILY.mine(insecure) if "signed" in f.data["address"]]
    assert signed == ["google-dns-zone-no-rsasha1"]


def test_without_tfvars_the_admin_ranges_are_private(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    found = {f.rule_id for f in FAMILY.mine(Engine().analyze_module(str(project)))}
    assert "google-compute-firewall-no-public-ssh" not in found
    assert "google-compute-firewall-no-public-rdp" not in found
    # var.database_ports defaults to ["5432"]: still public through the literal 0.0.0.0/0.
    assert "google-compute-firewall-no-public-database-ports" in found


def test_google_compute_firewall_fix_drops_the_open_range(insecure: ModuleResult) -> None:
    finding = one(
        insecure,
        "google-compute-firewall-no-public-database-ports",
        at("firewall.tf", '"10.10.0.0/20", "0.0.0.0/0"'),
    )
    rule = registry.get(finding.rule_id)
    assert rule is not None and insecure.module is not None
    fixes = rule.fixes(finding, insecure.module)
    assert [f.preferred for f in fixes] == [False]
    text = (INSECURE / "firewall.tf").read_text(encoding="utf-8")
    fixed = apply_edits(text, fixes[0].edits)
    assert 'source_ranges = ["10.10.0.0/20"]' in fixed
    # A range from a variable is left to the author.
    ssh = one(insecure, "google-compute-firewall-no-public-ssh", ADMIN_SOURCES)
    assert rule.fixes(ssh, insecure.module) == []


def test_google_compute_firewall_fix_replaces_a_fully_open_list(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "google_compute_firewall" "ssh" {\n'
        '  name    = "ssh"\n'
        '  network = "main"\n\n'
        "  allow {\n"
        '    protocol = "tcp"\n'
        '    ports    = ["22"]\n'
        "  }\n\n"
        '  source_ranges = ["0.0.0.0/0"]\n'
        "}\n",
        encoding="utf-8",
    )
    result = Engine().analyze_module(str(tmp_path))
    [finding] = [f for f in result.all_findings() if f.rule_id.endswith("no-public-ssh")]
    rule = registry.get(finding.rule_id)
    assert rule is not None and result.module is not None
    [fix] = rule.fixes(finding, result.module)
    assert not fix.preferred and "var.ssh_source_ranges" in fix.title
    assert {Path(e.path).name for e in fix.edits} == {"main.tf", "variables.tf"}


def test_hardened_network_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    assert [
        (f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()
    ] == []
    assert result.module is not None
    assert len(result.module.of_type("google_compute_firewall")) == 4
