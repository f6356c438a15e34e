from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class BackupVaultCustomerKey(Check):
    id = "aws-backup-vault-customer-key"
    title = "AWS Backup vault encrypts recovery points with the AWS-managed key"
    severity = Severity.LOW
    rationale = (
        "Without kms_key_arn a backup vault encrypts its recovery points with aws/backup, a "
        "key whose policy cannot be narrowed: restores and copies cannot be limited to the "
        "roles that should perform them, and recovery points cannot be copied to another "
        "account for protection against a compromised account."
    )
    remediation = "Set kms_key_arn to a customer-managed KMS key dedicated to backups."
    links = (
        "https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_vault#kms_key_arn",
    )
    aliases = ("CKV_AWS_166",)
    bad_example = """
resource "aws_backup_vault" "main" {
  name = "main"
}
"""
    good_example = """
resource "aws_backup_vault" "main" {
  name        = "main"
  kms_key_arn = aws_kms_key.backup.arn
}
"""
    resource_types = ("aws_backup_vault",)
    attribute = "kms_key_arn"
    condition = NotEmpty()
    message = "Backup vault {address} has an empty kms_key_arn"
    missing_message = "Backup vault {address} uses the AWS-managed key aws/backup"
    fix_description = "No automatic fix: the vault's key can only be chosen when it is created."
