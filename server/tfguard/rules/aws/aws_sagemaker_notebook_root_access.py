from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class SagemakerNotebookRootAccess(Check):
    id = "aws-sagemaker-notebook-root-access"
    title = "SageMaker notebook users get root on the instance"
    severity = Severity.MEDIUM
    rationale = (
        "root_access defaults to Enabled: every user of the notebook can become root on the "
        "instance, install anything, change its network settings and read whatever the "
        "instance role and other users left on it. Most notebook work needs no root."
    )
    remediation = (
        'Set root_access = "Disabled" (lifecycle configurations still run as root, so setup '
        "scripts keep working)."
    )
    links = (
        "https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-root-access.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sagemaker_notebook_instance#root_access",
    )
    aliases = ("CKV_AWS_307",)
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
  root_access   = "Disabled"
}
"""
    resource_types = ("aws_sagemaker_notebook_instance",)
    attribute = "root_access"
    condition = Equals("Disabled")
    default = "Enabled"  # aws 4.x-6.x: Enabled
    message = "SageMaker notebook {address} gives its users root ({value})"
    missing_message = "SageMaker notebook {address} gives its users root (the default)"
    # Users who install system packages interactively lose that ability.
    fix = SetValue(
        '"Disabled"',
        "Take root away from notebook users",
        applicability="unsafe",
        consequence="users can no longer install system packages interactively",
    )
    fix_description = (
        'Sets root_access = "Disabled" (offered, not applied by fix-all: users can no longer '
        "install system packages interactively)."
    )
