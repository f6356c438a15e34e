"""Fixes to rules of the first waves found by the comparison with Checkov and Trivy on real
modules: aws-vpc-flow-logs covers the default VPC (terraform-aws-vpc's aws_default_vpc.this),
and the credentials Checkov and Trivy report in EC2 user data and Lambda environments resolve to
terraform-secret-key-material, which finds them."""

from __future__ import annotations

import pytest
from tests.conftest import ScanFiles

from tfguard.rules import registry

DEFAULT_VPC = """
resource "aws_default_vpc" "this" {
  count = var.manage_default_vpc ? 1 : 0
}

variable "manage_default_vpc" {
  type    = bool
  default = true
}
"""


def flow_log_findings(scan_files: ScanFiles, files: dict[str, str]) -> list[tuple[str, int]]:
    result = scan_files(files)
    return [
        (f.data["vpc"], f.range.start.line + 1)
        for f in result.all_findings()
        if f.rule_id == "aws-vpc-flow-logs"
    ]


def test_aws_vpc_flow_logs_reports_a_managed_default_vpc(scan_files: ScanFiles) -> None:
    assert flow_log_findings(scan_files, {"main.tf": DEFAULT_VPC}) == [("aws_default_vpc.this", 2)]


def test_aws_vpc_flow_logs_accepts_a_flow_log_on_the_default_vpc(scan_files: ScanFiles) -> None:
    flow_log = """
resource "aws_flow_log" "default" {
  count                = var.manage_default_vpc ? 1 : 0
  vpc_id               = aws_default_vpc.this[0].id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::acme-flow-logs"
}
"""
    files = {"main.tf": DEFAULT_VPC, "logging.tf": flow_log}
    assert flow_log_findings(scan_files, files) == []


def test_aws_vpc_flow_logs_skips_a_default_vpc_that_is_not_managed(scan_files: ScanFiles) -> None:
    files = {"main.tf": DEFAULT_VPC, "terraform.tfvars": "manage_default_vpc = false\n"}
    assert flow_log_findings(scan_files, files) == []


@pytest.mark.parametrize(
    "alias",
    [
        "CKV_AWS_46",
        "CKV_AWS_45",
        "AVD-AWS-0029",
        "AWS-0029",
        "aws-ec2-no-secrets-in-user-data",
        "AVD-AWS-0129",
        "AWS-0129",
        "aws-ec2-no-secrets-in-launch-template-user-data",
    ],
)
def test_credential_aliases_resolve_to_the_key_material_rule(alias: str) -> None:
    rule = registry.get(alias)
    assert rule is not None and rule.id == "terraform-secret-key-material"


def test_the_key_material_rule_finds_them_in_user_data_and_lambda_environments(
    scan_files: ScanFiles,
) -> None:
    result = scan_files(
        {
            "main.tf": """
resource "aws_launch_template" "worker" {
  name      = "worker"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    export AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986
  EOT
  )
}

resource "aws_lambda_function" "sync" {
  function_name = "sync"
  role          = "arn:aws:iam::123456789012:role/sync"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "sync.zip"

  environment {
    variables = {
      UPSTREAM_KEY_ID = "AKIA6F0C9E2B7D4A1358"
    }
  }
}
"""
        }
    )
    lines = sorted(
        f.range.start.line + 1
        for f in result.all_findings()
        if f.rule_id == "terraform-secret-key-material"
    )
    assert lines == [4, 20]  # the user_data heredoc, the environment variable
