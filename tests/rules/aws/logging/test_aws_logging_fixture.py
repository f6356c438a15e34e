"""The logging and monitoring rules on two multi-file projects: a flow-log group whose short
retention comes from terraform.tfvars, a stopped trail, an AWS Config recorder narrowed to two
types and stopped through a variable, Security Hub without standards, a default security
group with rules, a VPC whose default group is untouched and undescribed security groups; and
a hardened project, which must produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.aws.aws_fix_helpers import applied, changed_lines
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, related

from tfguard.engine import ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "aws-cloudwatch-log-group-retention",
        "aws-cloudwatch-log-group-customer-key",
        "aws-cloudtrail-cloudwatch-logs",
        "aws-cloudtrail-logging-enabled",
        "aws-config-recorder-all-resources",
        "aws-config-aggregator-all-regions",
        "aws-securityhub-enabled",
        "aws-ec2-default-security-group-restricted",
        "aws-ec2-security-group-description",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

FLOW_RETENTION = at("log_groups.tf", "= var.flow_log_retention")
LEGACY_VPC = at("network.tf", '"aws_vpc" "legacy"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("aws-cloudwatch-log-group-retention", *FLOW_RETENTION),
        ("aws-cloudwatch-log-group-retention", *at("log_groups.tf", "retention_in_days = 30")),
        (
            "aws-cloudwatch-log-group-customer-key",
            *at("log_groups.tf", '"aws_cloudwatch_log_group" "flow_logs"'),
        ),
        ("aws-cloudtrail-cloudwatch-logs", *at("cloudtrail.tf", '"aws_cloudtrail" "main"')),
        ("aws-cloudtrail-logging-enabled", *at("cloudtrail.tf", "enable_logging")),
        ("aws-config-recorder-all-resources", *at("config.tf", "all_supported  = false")),
        ("aws-config-recorder-all-resources", *at("config.tf", "= var.config_recording")),
        ("aws-config-aggregator-all-regions", *at("config.tf", "account_aggregation_source {")),
        ("aws-securityhub-enabled", *at("config.tf", "enable_default_standards = false")),
        ("aws-securityhub-enabled", *at("config.tf", "auto_enable = false")),
        ("aws-ec2-default-security-group-restricted", *at("network.tf", "talk to each other")),
        ("aws-ec2-default-security-group-restricted", *at("network.tf", "egress = [")),
        ("aws-ec2-default-security-group-restricted", *LEGACY_VPC),
        ("aws-ec2-security-group-description", *at("network.tf", '"aws_security_group" "web"')),
        ("aws-ec2-security-group-description", *at("network.tf", "talk to each other")),
        ("aws-ec2-security-group-description", *at("network.tf", "HTTPS from the VPC")),
        ("aws-ec2-security-group-description", *at("network.tf", 'description       = ""')),
    ]
    assert triples(insecure) == sorted(expected)


def test_aws_cloudwatch_log_group_retention_weighs_flow_logs(insecure: ModuleResult) -> None:
    # terraform.tfvars keeps flow logs 90 days (the variable's default is 400).
    flow = one(insecure, "aws-cloudwatch-log-group-retention", FLOW_RETENTION)
    assert flow.severity == Severity.MEDIUM and "VPC flow logs for 90 days" in flow.message
    assert at("log_groups.tf", '"aws_flow_log" "main"') in related(flow)
    app = one(insecure, "aws-cloudwatch-log-group-retention", at("log_groups.tf", "= 30"))
    assert app.severity == Severity.LOW and related(app) == []
    [fix] = applied(insecure, app)
    _, added = changed_lines((INSECURE / "log_groups.tf").read_text(), fix.files["log_groups.tf"])
    assert fix.preferred and added == ["retention_in_days = 365"]
    assert applied(insecure, flow) == []  # defined in terraform.tfvars


def test_aws_config_recorder_status_comes_from_tfvars(insecure: ModuleResult) -> None:
    stopped = one(
        insecure, "aws-config-recorder-all-resources", at("config.tf", "var.config_recording")
    )
    assert "is_enabled = false" in stopped.message
    assert applied(insecure, stopped) == []  # the value is a variable's
    narrowed = one(
        insecure, "aws-config-recorder-all-resources", at("config.tf", "all_supported  = false")
    )
    # Recording every type replaces the resource_types list, and changes the Config bill.
    [fix] = applied(insecure, narrowed)
    assert not fix.preferred
    removed, added = changed_lines((INSECURE / "config.tf").read_text(), fix.files["config.tf"])
    assert removed == [
        "all_supported = false",
        'resource_types = ["AWS::EC2::Instance", "AWS::S3::Bucket"]',
    ]
    assert added == ["all_supported = true"]


def test_aws_config_aggregator_fix_replaces_the_regions_list(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-config-aggregator-all-regions", at("config.tf", "account_agg"))
    [fix] = applied(insecure, finding)
    assert fix.preferred
    removed, added = changed_lines((INSECURE / "config.tf").read_text(), fix.files["config.tf"])
    # all_regions takes the place of regions (the two conflict), aligned like terraform fmt.
    assert removed == ['regions = ["eu-west-1"]'] and added == ["all_regions = true"]
    assert '    account_ids = ["111122223333"]\n    all_regions = true\n' in fix.files["config.tf"]


def test_aws_ec2_default_security_group_restricted_grades_and_fixes(
    insecure: ModuleResult,
) -> None:
    rule = one(insecure, "aws-ec2-default-security-group-restricted", at("network.tf", "egress"))
    assert rule.severity == Severity.MEDIUM
    legacy = one(insecure, "aws-ec2-default-security-group-restricted", LEGACY_VPC)
    assert legacy.severity == Severity.LOW
    [fix] = applied(insecure, legacy)
    assert not fix.preferred  # resources in the default group lose their traffic
    _, added = changed_lines((INSECURE / "network.tf").read_text(), fix.files["network.tf"])
    assert [line for line in added if line] == [
        'resource "aws_default_security_group" "legacy" {',
        "vpc_id = aws_vpc.legacy.id",
        "}",
    ]


def test_aws_cloudtrail_logging_enabled_fix(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-cloudtrail-logging-enabled", at("cloudtrail.tf", "enable_logging"))
    [fix] = applied(insecure, finding)
    _, added = changed_lines((INSECURE / "cloudtrail.tf").read_text(), fix.files["cloudtrail.tf"])
    assert fix.preferred and added == ["enable_logging = true"]


def test_hardened_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    found = [(f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()]
    assert found == []
