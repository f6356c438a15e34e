from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class Ec2EbsEncryptionByDefault(Check):
    id = "aws-ec2-ebs-encryption-by-default"
    title = "EBS encryption by default is switched off"
    severity = Severity.MEDIUM
    rationale = (
        "aws_ebs_encryption_by_default with enabled = false lets every new EBS volume and "
        "snapshot copy in the region be created unencrypted unless its own configuration "
        "asks otherwise, so one forgotten encrypted = true (a console launch, an older "
        "module, an AMI copy) leaves data and its snapshots readable to anyone who can copy "
        "them."
    )
    remediation = (
        "Set enabled = true (the default of this resource), optionally with "
        "aws_ebs_default_kms_key for a customer-managed key."
    )
    links = (
        "https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_encryption_by_default",
    )
    aliases = ("CKV_AWS_106",)
    bad_example = """
resource "aws_ebs_encryption_by_default" "main" {
  enabled = false
}
"""
    good_example = """
resource "aws_ebs_encryption_by_default" "main" {
  enabled = true
}
"""
    resource_types = ("aws_ebs_encryption_by_default",)
    attribute = "enabled"
    condition = Equals(True)
    default = True  # aws provider 4.x-6.x
    message = (
        "{address} switches EBS encryption by default off: new volumes may be created unencrypted"
    )
    fix = SetValue("true", "Encrypt new EBS volumes by default")
    fix_description = "Sets enabled = true (existing volumes are not changed)."
