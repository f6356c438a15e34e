from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._network import ebs_encryption_by_default
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.fixing import set_value_fix
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, Value


class Ec2EbsVolumeEncryption(Check):
    id = "aws-ec2-ebs-volume-encryption"
    title = "EBS volume is not encrypted"
    severity = Severity.HIGH
    rationale = (
        "An unencrypted EBS volume stores its data, and every snapshot taken of it, in plain "
        "form: a snapshot shared by mistake or copied by someone with snapshot permissions "
        "exposes everything on it. KMS encryption is transparent to the instance and lets key "
        "policies decide who can restore the data."
    )
    remediation = (
        "Set encrypted = true (optionally with a customer-managed kms_key_id), or turn on EBS "
        "encryption by default for the account and region with aws_ebs_encryption_by_default. "
        "An existing volume cannot be encrypted in place: snapshot it, copy the snapshot with "
        "encryption, and create a new volume from the copy."
    )
    links = (
        "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_volume#encrypted",
    )
    aliases = (
        "CKV_AWS_3",
        "AVD-AWS-0026",
        "AWS-0026",
        "aws-ec2-enable-volume-encryption",
    )
    bad_example = """
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
}
"""
    good_example = """
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = true
  kms_key_id        = aws_kms_key.ebs.arn
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 50
}

# file: account.tf
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}
"""
    fix_description = (
        "Adds encrypted = true, or sets it when the value is written in place rather than "
        "taken from a variable. Terraform replaces the volume, so copy its data first; the fix "
        "is unsafe: fix-all never applies it, tfguard fix only with --unsafe-fixes."
    )
    resource_types = ("aws_ebs_volume",)
    attribute = "encrypted"
    condition = Equals(True)
    per_instance = True
    message = (
        "{address} sets encrypted = false: the volume and its snapshots are stored unencrypted"
    )
    missing_message = "{address} does not set encrypted = true: the volume is created unencrypted"

    def subjects(self, module: Module) -> Iterable[Entity]:
        return [
            v
            for v in live(module, *self.resource_types)
            if not ebs_encryption_by_default(module, v)
        ]

    def default_for(self, module: Module, entity: Entity) -> Value:
        # A volume restored from a snapshot inherits the snapshot's encryption.
        snapshot = entity.attr("snapshot_id")
        if snapshot is not None and module.cached_value(snapshot.value) not in (None, ""):
            return UNKNOWN
        return False

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_value_fix(
            module,
            finding,
            "Encrypt the volume (Terraform replaces it: copy its data first)",
            "encrypted",
            True,
            applicability="unsafe",
            consequence="Terraform replaces the volume, and its data is lost",
        )
