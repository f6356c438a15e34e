from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._network import ebs_encryption_by_default
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import set_value_fix
from tfguard.rules.kit.instances import instance_evaluators
from tfguard.rules.kit.values import as_bool


class Ec2EbsVolumeEncryption(Rule):
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
        "is offered but never applied unattended by fix-all or tfguard fix."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for volume in ctx.resources("aws_ebs_volume"):
            evaluators = instance_evaluators(ctx.module, volume)
            if not evaluators or ebs_encryption_by_default(ctx.module, volume):
                continue
            attr = volume.attr("encrypted")
            if attr is not None:
                values = [e.eval(attr.value) for e in evaluators]
                if any(as_bool(v) is False for v in values):
                    yield ctx.report(
                        volume,
                        attr,
                        f"{volume.address} sets encrypted = false: the volume and its snapshots "
                        "are stored unencrypted",
                        data={"missing": False},
                    )
                    continue
                if any(v is UNKNOWN or (as_bool(v) is True) for v in values):
                    continue
            snapshot = volume.attr("snapshot_id")
            if snapshot is not None and ctx.module.cached_value(snapshot.value) not in (None, ""):
                continue  # restored from a snapshot: inherits its encryption (or unknown)
            yield ctx.report(
                volume,
                volume.block,
                f"{volume.address} does not set encrypted = true: the volume is created "
                "unencrypted",
                data={"missing": True},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_value_fix(
            module,
            finding,
            "Encrypt the volume (Terraform replaces it: copy its data first)",
            "encrypted",
            True,
            preferred=False,
        )
