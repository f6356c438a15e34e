from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import AllOf, NotContains, NotEmpty
from tfguard.rules.kit.declarative import Check


class SecretsmanagerCustomerKey(Check):
    id = "aws-secretsmanager-customer-key"
    title = "Secrets Manager secret is encrypted with the AWS-managed key"
    severity = Severity.LOW
    rationale = (
        "Without kms_key_id a secret is encrypted with aws/secretsmanager, a key every "
        "principal of the account with secretsmanager:GetSecretValue may use: its key policy "
        "cannot be narrowed, and the secret cannot be shared with another account. A "
        "customer-managed key adds a second, separately audited permission in front of the "
        "value."
    )
    remediation = "Set kms_key_id to a customer-managed KMS key whose policy names the readers."
    links = (
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/secretsmanager_secret#kms_key_id",
    )
    aliases = (
        "CKV_AWS_149",
        "AVD-AWS-0098",
        "AWS-0098",
        "aws-ssm-secret-use-customer-key",
    )
    bad_example = """
resource "aws_secretsmanager_secret" "db" {
  name = "app/db"
}
"""
    good_example = """
resource "aws_secretsmanager_secret" "db" {
  name       = "app/db"
  kms_key_id = aws_kms_key.secrets.arn
}
"""
    resource_types = ("aws_secretsmanager_secret",)
    attribute = "kms_key_id"
    condition = AllOf(NotEmpty(), NotContains("alias/aws/"))
    message = "Secrets Manager secret {address} uses the AWS-managed key ({value})"
    missing_message = "Secrets Manager secret {address} uses the AWS-managed key aws/secretsmanager"
    fix_description = (
        "No automatic fix: the readers of the secret must be allowed to decrypt with the new "
        "key first, or they lose access."
    )
