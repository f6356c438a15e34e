"""The EKS rules on two multi-file projects: a cluster whose log types and API ranges come
from terraform.tfvars, a private cluster that logs almost everything, a node group opening
SSH to the internet and a node launch template whose hop limit comes from a local; and a
hardened project, which must produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.aws.aws_fix_helpers import applied, changed_lines
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "aws-eks-control-plane-logging",
        "aws-eks-secrets-encryption",
        "aws-eks-public-endpoint",
        "aws-eks-node-group-remote-access",
        "aws-ec2-metadata-hop-limit",
        "aws-eks-no-open-public-endpoint",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

MAIN = at("clusters.tf", '"aws_eks_cluster" "main"')
INTERNAL_LOGS = at("clusters.tf", '"controllerManager"]')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("aws-eks-secrets-encryption", *MAIN),
        ("aws-eks-control-plane-logging", *at("clusters.tf", "= var.cluster_log_types")),
        # Limited to terraform.tfvars' range, so not open to all: public, not open.
        ("aws-eks-public-endpoint", *at("clusters.tf", "admin ranges only")),
        ("aws-eks-control-plane-logging", *INTERNAL_LOGS),
        ("aws-eks-secrets-encryption", *at("clusters.tf", "resources = []")),
        ("aws-eks-node-group-remote-access", *at("nodes.tf", "remote_access {")),
        ("aws-ec2-metadata-hop-limit", *at("nodes.tf", "= local.node_hop_limit")),
    ]
    assert triples(insecure) == sorted(expected)


def test_aws_eks_control_plane_logging_grades_missing_logs(insecure: ModuleResult) -> None:
    # terraform.tfvars keeps only "api" (the variable's default lists all five).
    main = one(insecure, "aws-eks-control-plane-logging", at("clusters.tf", "var.cluster_log"))
    assert main.severity == Severity.MEDIUM and "audit" in main.message
    internal = one(insecure, "aws-eks-control-plane-logging", INTERNAL_LOGS)
    assert internal.severity == Severity.LOW and internal.message.endswith("scheduler")
    [fix] = applied(insecure, internal)
    assert fix.preferred
    _, added = changed_lines((INSECURE / "clusters.tf").read_text(), fix.files["clusters.tf"])
    assert added == [
        'enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", '
        '"scheduler"]'
    ]
    assert applied(insecure, main) == []  # the list is defined in terraform.tfvars


def test_aws_eks_public_endpoint_fix_is_offered_not_preferred(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-eks-public-endpoint", at("clusters.tf", "admin ranges only"))
    [fix] = applied(insecure, finding)
    assert not fix.preferred
    _, added = changed_lines((INSECURE / "clusters.tf").read_text(), fix.files["clusters.tf"])
    assert "endpoint_public_access = false" in added


def test_aws_eks_node_group_remote_access_reads_the_key_from_tfvars(
    insecure: ModuleResult,
) -> None:
    # The variable's default is "" (no SSH key, no remote access); terraform.tfvars sets one.
    finding = one(insecure, "aws-eks-node-group-remote-access", at("nodes.tf", "remote_access"))
    assert finding.severity == Severity.HIGH and "0.0.0.0/0" in finding.message


def test_aws_ec2_metadata_hop_limit_reads_a_local_from_another_file(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-ec2-metadata-hop-limit", at("nodes.tf", "local.node_hop_limit"))
    assert "= 2" in finding.message
    assert applied(insecure, finding) == []  # the value is defined in locals.tf


def test_hardened_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    found = [(f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()]
    assert found == []
