"""The network/EC2 rules on two realistic multi-file projects: one with the usual mistakes,
one hardened the way real projects are, which must produce none of these findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, related

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"

RULES = frozenset(
    {
        "aws-ec2-no-public-ingress",
        "aws-ec2-no-unrestricted-egress",
        "aws-vpc-nacl-no-public-ingress",
        "aws-vpc-flow-logs",
        "aws-vpc-subnet-no-public-ip",
        "aws-ec2-imdsv2-required",
        "aws-ec2-block-device-encryption",
        "aws-ec2-ebs-volume-encryption",
        "aws-ec2-no-public-ip",
        "aws-rds-no-public-access",
        "aws-redshift-no-public-access",
        "aws-eks-no-open-public-endpoint",
    }
)


FAMILY = RuleFamily(RULES, INSECURE)
at, mine, triples, one = FAMILY.at, FAMILY.mine, FAMILY.triples, FAMILY.one


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        # admin_cidr comes from terraform.tfvars, not from the variable default
        ("aws-ec2-no-public-ingress", *at("security.tf", "[var.admin_cidr]")),
        # a dynamic block expanded over a local map: one finding for both ports
        ("aws-ec2-no-public-ingress", *at("security.tf", '["::/0"]')),
        ("aws-ec2-no-public-ingress", *at("security.tf", "= local.anywhere")),
        ("aws-ec2-no-unrestricted-egress", *at("security.tf", 'cidr_blocks = ["0.0.0.0/0"]')),
        ("aws-ec2-no-unrestricted-egress", *at("security.tf", 'cidr_ipv6         = "::/0"')),
        ("aws-vpc-nacl-no-public-ingress", *at("network.tf", "cidr_block = local.anywhere")),
        ("aws-vpc-nacl-no-public-ingress", *at("network.tf", 'ipv6_cidr_block = "::/0"')),
        ("aws-vpc-flow-logs", *at("network.tf", '"aws_vpc" "analytics"')),
        ("aws-vpc-subnet-no-public-ip", *at("network.tf", "map_public_ip_on_launch")),
        ("aws-ec2-imdsv2-required", *at("compute.tf", '"aws_instance" "bastion"')),
        ("aws-ec2-imdsv2-required", *at("compute.tf", '"optional"')),
        ("aws-ec2-no-public-ip", *at("compute.tf", "associate_public_ip_address = true")),
        ("aws-ec2-no-public-ip", *at("compute.tf", 'associate_public_ip_address = "true"')),
        ("aws-ec2-block-device-encryption", *at("compute.tf", "encrypted   = false")),
        ("aws-ec2-block-device-encryption", *at("compute.tf", 'encrypted   = "false"')),
        ("aws-ec2-ebs-volume-encryption", *at("compute.tf", '"aws_ebs_volume" "data"')),
        ("aws-rds-no-public-access", *at("data.tf", "= var.db_public")),
        ("aws-redshift-no-public-access", *at("data.tf", '"aws_redshift_cluster"')),
        ("aws-eks-no-open-public-endpoint", *at("data.tf", "vpc_config {")),
    ]
    assert triples(insecure) == sorted(expected)


def test_severities_follow_what_is_exposed(insecure: ModuleResult) -> None:
    rule = "aws-ec2-no-public-ingress"
    ssh = one(insecure, rule, at("security.tf", "[var.admin_cidr]"))
    web = one(insecure, rule, at("security.tf", '["::/0"]'))
    db = one(insecure, rule, at("security.tf", "= local.anywhere"))
    assert (ssh.severity, web.severity, db.severity) == (
        Severity.CRITICAL,  # SSH
        Severity.LOW,  # HTTP and HTTPS only
        Severity.CRITICAL,  # 5000-6000 covers PostgreSQL
    )
    assert "port 80, port 443" in web.message and "::/0" in web.message
    assert "ports 5000-6000" in db.message
    root = one(insecure, "aws-ec2-block-device-encryption", at("compute.tf", "= false"))
    assert root.severity == Severity.HIGH
    redshift = one(insecure, "aws-redshift-no-public-access", at("data.tf", "aws_redshift"))
    assert redshift.severity == Severity.HIGH and '"~> 5.60"' in redshift.message
    acl = one(insecure, "aws-vpc-nacl-no-public-ingress", at("network.tf", "= local.anywhere"))
    assert acl.severity == Severity.HIGH and "SSH (22)" in acl.message


def test_cross_file_links(insecure: ModuleResult) -> None:
    # The RDS instance (data.tf) is critical because its security group (security.tf) is open.
    rds = one(insecure, "aws-rds-no-public-access", at("data.tf", "var.db_public"))
    assert rds.severity == Severity.CRITICAL
    # ...and public because terraform.tfvars sets var.db_public (where the value comes from).
    assert related(rds) == [at("security.tf", '"aws_security_group" "db"'), ("terraform.tfvars", 2)]
    assert "0.0.0.0/0" in rds.related[0].message
    # aws_vpc.main (network.tf) is covered by the flow log of logging.tf through local.vpc_id.
    flow = [f for f in mine(insecure) if f.rule_id == "aws-vpc-flow-logs"]
    assert [f.data["vpc"] for f in flow] == ["aws_vpc.analytics"]
    # The standalone NACL rule points at its ACL.
    rdp = one(insecure, "aws-vpc-nacl-no-public-ingress", at("network.tf", '"::/0"'))
    assert [r.message for r in rdp.related] == ["the network ACL aws_network_acl.public"]


def test_unknown_and_switched_off_resources_stay_silent(insecure: ModuleResult) -> None:
    addresses = {f.data["address"] for f in mine(insecure)}
    # var.partner_cidr has no value; count = 0 (legacy_*); settings from the launch template
    # (worker); restored from a snapshot; return-traffic range; ACL with denies first.
    for silent in (
        "aws_vpc_security_group_ingress_rule.partners",
        "aws_security_group_rule.legacy_all",
        "aws_instance.legacy",
        "aws_instance.worker",
        "aws_ebs_volume.restored",
        "aws_network_acl_rule.private_allow_all",
        "aws_vpc.main",
    ):
        assert silent not in addresses


def test_without_tfvars_the_variable_defaults_apply(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    result = Engine().analyze_module(str(project))
    addresses = {(f.rule_id, f.data["address"]) for f in mine(result)}
    # admin_cidr defaults to an internal range and db_public to false.
    assert ("aws-ec2-no-public-ingress", "aws_security_group.bastion") not in addresses
    assert ("aws-rds-no-public-access", "aws_db_instance.app") not in addresses
    everything = Engine().analyze_module(str(INSECURE))
    assert len(mine(result)) == len(mine(everything)) - 2


def test_hardened_project_has_no_network_findings() -> None:
    result = analyze_clean(FIXTURES / "hardened")
    assert triples(result) == []
    # The project is analysed for real: its resources are in the module.
    assert result.module is not None
    assert len(result.module.of_type("aws_security_group")) == 4
