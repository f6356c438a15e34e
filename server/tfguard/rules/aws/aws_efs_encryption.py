from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class EfsEncryption(Check):
    id = "aws-efs-encryption"
    title = "EFS file system is not encrypted at rest"
    severity = Severity.MEDIUM
    rationale = (
        "aws_efs_file_system creates an unencrypted file system unless encrypted = true (the "
        "console encrypts by default, the API and Terraform do not). File shares tend to "
        "collect application data, exports and home directories, and encryption can only be "
        "chosen when the file system is created."
    )
    remediation = (
        "Set encrypted = true, optionally with kms_key_id for a customer-managed key. For an "
        "existing file system, create an encrypted one and copy the data (AWS DataSync or "
        "AWS Backup restore)."
    )
    links = (
        "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_file_system#encrypted",
    )
    aliases = ("CKV_AWS_42", "AVD-AWS-0037", "AWS-0037", "aws-efs-enable-at-rest-encryption")
    bad_example = """
resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
}
"""
    good_example = """
resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
  encrypted      = true
}
"""
    resource_types = ("aws_efs_file_system",)
    attribute = "encrypted"
    condition = Equals(True)
    default = False
    message = "EFS file system {address} is created unencrypted"
    missing_message = "EFS file system {address} does not set encrypted = true"
    # Replaces the file system: offered, never applied unattended.
    fix = SetValue(
        "true",
        "Encrypt the file system (Terraform replaces it: copy existing files first)",
        "unsafe",
        consequence="Terraform replaces the file system, and its files are lost",
    )
    fix_description = (
        "Sets encrypted = true. The setting cannot change on an existing file system: "
        "Terraform destroys it, with its files, and creates an empty one, so the fix is "
        "offered for new file systems but is unsafe: only tfguard fix --unsafe-fixes applies "
        "it. Copy an existing file system's data into a new encrypted one."
    )
