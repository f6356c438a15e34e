"""The compute and container rules on two multi-file projects: Lambda functions with a
public URL (authorization from terraform.tfvars) and open permissions, an ECR repository whose
policy document lets anyone push, ECS task definitions written with jsonencode() and as a JSON
heredoc in a local, a public AMI, an account that allows public snapshots and a one-subnet Auto
Scaling group; and a hardened project, which must produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.aws.aws_fix_helpers import applied, changed_lines
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, line_of

from tfguard.engine import ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "aws-lambda-function-url-auth",
        "aws-lambda-permission-public",
        "aws-lambda-permission-source-arn",
        "aws-lambda-environment-customer-key",
        "aws-lambda-tracing",
        "aws-lambda-dead-letter-queue",
        "aws-lambda-code-signing",
        "aws-ecr-immutable-tags",
        "aws-ecr-scan-on-push",
        "aws-ecr-customer-key",
        "aws-ecr-policy-public",
        "aws-ecs-task-privileged",
        "aws-ecs-task-root-user",
        "aws-ecs-task-read-only-root",
        "aws-ecs-task-plaintext-secrets",
        "aws-ecs-task-host-network",
        "aws-ecs-task-host-namespaces",
        "aws-ecs-task-efs-transit-encryption",
        "aws-ecs-cluster-container-insights",
        "aws-ecs-service-no-public-ip",
        "aws-ec2-ami-not-public",
        "aws-ec2-ebs-snapshot-public-sharing",
        "aws-autoscaling-group-single-az",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

REPORT = at("lambda.tf", '"aws_lambda_function" "report"')
REPO = at("ecr.tf", '"aws_ecr_repository" "api"')
API_CONTAINER = ("ecs.tf", line_of(INSECURE, "ecs.tf", 'name       = "api"') - 1)


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        # Lambda: the report function leaves everything at its defaults.
        ("aws-lambda-code-signing", *REPORT),
        ("aws-lambda-dead-letter-queue", *REPORT),
        ("aws-lambda-environment-customer-key", *REPORT),
        ("aws-lambda-tracing", *REPORT),
        ("aws-lambda-function-url-auth", *at("lambda.tf", "= var.report_url_auth")),
        ("aws-lambda-permission-public", *at("lambda.tf", 'principal     = "*"')),
        ("aws-lambda-permission-source-arn", *at("lambda.tf", '"s3.amazonaws.com"')),
        # The worker is a container image (no code signing) with an on-failure destination.
        ("aws-lambda-tracing", *at("lambda.tf", '"PassThrough"')),
        # ECR
        ("aws-ecr-immutable-tags", *REPO),
        ("aws-ecr-scan-on-push", *REPO),
        ("aws-ecr-customer-key", *REPO),
        ("aws-ecr-policy-public", *at("ecr.tf", "  statement {")),
        # ECS: one container written with jsonencode(), one in a JSON heredoc in locals.tf.
        ("aws-ecs-cluster-container-insights", *at("ecs.tf", '"aws_ecs_cluster" "main"')),
        ("aws-ecs-task-host-network", *at("ecs.tf", 'network_mode       = "host"')),
        ("aws-ecs-task-host-namespaces", *at("ecs.tf", 'pid_mode           = "host"')),
        ("aws-ecs-task-read-only-root", *API_CONTAINER),
        ("aws-ecs-task-privileged", *at("ecs.tf", "privileged = true")),
        ("aws-ecs-task-root-user", *at("ecs.tf", 'user       = "root"')),
        ("aws-ecs-task-plaintext-secrets", *at("ecs.tf", '"DB_PASSWORD", value')),
        ("aws-ecs-task-efs-transit-encryption", *at("ecs.tf", "efs_volume_configuration {")),
        ("aws-ecs-task-root-user", *at("ecs.tf", "= local.sidecar_definitions")),
        ("aws-ecs-service-no-public-ip", *at("ecs.tf", "assign_public_ip = true")),
        # EC2
        ("aws-ec2-ami-not-public", *at("ec2.tf", 'group    = "all"')),
        ("aws-ec2-ebs-snapshot-public-sharing", *at("ec2.tf", '"unblocked"')),
        ("aws-autoscaling-group-single-az", *at("ec2.tf", "vpc_zone_identifier")),
    ]
    assert triples(insecure) == sorted(expected)


def test_aws_lambda_function_url_auth_reads_tfvars(insecure: ModuleResult) -> None:
    # The variable's default is AWS_IAM; terraform.tfvars sets NONE.
    finding = one(insecure, "aws-lambda-function-url-auth", at("lambda.tf", "var.report_url"))
    assert finding.severity == Severity.HIGH
    assert applied(insecure, finding) == []  # the value is defined in terraform.tfvars


def test_aws_ecr_policy_public_reports_the_document_statement(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-ecr-policy-public", at("ecr.tf", "  statement {"))
    assert finding.severity == Severity.CRITICAL and "push" in finding.message
    assert [(Path(r.path).name, r.range.start.line + 1) for r in finding.related] == [
        at("ecr.tf", '"aws_ecr_repository_policy" "api"')
    ]


def test_aws_ecs_task_plaintext_secrets_skips_references(insecure: ModuleResult) -> None:
    findings = [f for f in FAMILY.mine(insecure) if f.rule_id == "aws-ecs-task-plaintext-secrets"]
    # DB_PASSWORD is reported; DB_PASSWORD_SECRET_ARN (an ARN) and DB_HOST are not.
    assert [f.data["variable"] for f in findings] == ["DB_PASSWORD"]


def test_aws_ecs_cluster_container_insights_fix_adds_the_setting(insecure: ModuleResult) -> None:
    cluster = at("ecs.tf", '"aws_ecs_cluster" "main"')
    finding = one(insecure, "aws-ecs-cluster-container-insights", cluster)
    [fix] = applied(insecure, finding)
    assert fix.preferred
    _, added = changed_lines((INSECURE / "ecs.tf").read_text(), fix.files["ecs.tf"])
    assert [line for line in added if line] == [
        "setting {",
        'name = "containerInsights"',
        'value = "enabled"',
        "}",
    ]


def test_aws_ecs_task_efs_transit_encryption_fix_is_unsafe(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-ecs-task-efs-transit-encryption", at("ecs.tf", "efs_volume_c"))
    [fix] = applied(insecure, finding)
    assert not fix.preferred
    _, added = changed_lines((INSECURE / "ecs.tf").read_text(), fix.files["ecs.tf"])
    assert 'transit_encryption = "ENABLED"' in added


def test_hardened_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    found = [(f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()]
    assert found == []
