from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class SagemakerNotebookCustomerKey(Check):
    id = "aws-sagemaker-notebook-customer-key"
    title = "SageMaker notebook storage is not encrypted with a customer-managed key"
    severity = Severity.LOW
    rationale = (
        "A notebook instance's ML storage volume holds notebooks, downloaded datasets and "
        "credentials users saved. Without kms_key_id it is encrypted with an AWS-managed key "
        "whose use cannot be restricted or audited separately from the instance."
    )
    remediation = "Set kms_key_id to a customer-managed KMS key."
    links = (
        "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-nbi.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sagemaker_notebook_instance#kms_key_id",
    )
    aliases = ("CKV_AWS_22",)
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
  kms_key_id    = aws_kms_key.notebooks.arn
}
"""
    resource_types = ("aws_sagemaker_notebook_instance",)
    attribute = "kms_key_id"
    condition = NotEmpty()
    message = "SageMaker notebook {address} has an empty kms_key_id"
    missing_message = "SageMaker notebook {address} does not use a customer-managed key"
    fix_description = (
        "No automatic fix: changing the key replaces the notebook instance and its volume."
    )
