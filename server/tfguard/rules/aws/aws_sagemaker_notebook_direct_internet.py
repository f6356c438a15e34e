from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check


class SagemakerNotebookDirectInternet(Check):
    id = "aws-sagemaker-notebook-direct-internet"
    title = "SageMaker notebook instance has direct internet access"
    severity = Severity.MEDIUM
    rationale = (
        "direct_internet_access defaults to Enabled: the notebook reaches the internet "
        "through SageMaker's own network, outside the VPC's security groups, route tables, "
        "proxies and flow logs. Code run in the notebook (including a malicious package or "
        "notebook from the internet) can exfiltrate the training data it can read."
    )
    remediation = (
        'Set direct_internet_access = "Disabled" with subnet_id and security_groups, and give '
        "the subnet the VPC endpoints (or NAT) the notebook needs."
    )
    links = (
        "https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sagemaker_notebook_instance#direct_internet_access",
    )
    aliases = ("CKV_AWS_122",)
    bad_example = """
resource "aws_sagemaker_notebook_instance" "research" {
  name          = "research"
  role_arn      = aws_iam_role.notebook.arn
  instance_type = "ml.t3.medium"
}
"""
    good_example = """
resource "aws_sagemaker_notebook_instance" "research" {
  name          = "research"
  role_arn      = aws_iam_role.notebook.arn
  instance_type = "ml.t3.medium"
  subnet_id              = "subnet-0a1b2c3d"
  security_groups        = ["sg-0a1b2c3d4e5f"]
  direct_internet_access = "Disabled"
}
"""
    resource_types = ("aws_sagemaker_notebook_instance",)
    attribute = "direct_internet_access"
    condition = Equals("Disabled")
    default = "Enabled"  # aws 4.x-6.x: Enabled
    message = "SageMaker notebook {address} has direct internet access ({value})"
    missing_message = "SageMaker notebook {address} has direct internet access (the default)"
    fix_description = (
        "No automatic fix: disabling it needs a subnet and security groups, and replaces the "
        "notebook instance."
    )
