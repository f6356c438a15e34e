"""Block devices of instances, launch configurations and launch templates that are not
encrypted.

``encrypted = false`` and new empty EBS volumes without ``encrypted = true`` are reported as
high. A root device without ``encrypted = true`` (or an instance without ``root_block_device``)
is reported as medium: its encryption follows the AMI's snapshot, which the configuration does
not show. Volumes restored from a ``snapshot_id`` inherit its encryption and are not reported
unless they set ``encrypted = false``. Nothing is reported when the module turns on EBS
encryption by default (``aws_ebs_encryption_by_default``) for the same provider, or for an
instance that takes its block devices from a launch template.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.fixes import Applicability, Editor, Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._network import ebs_encryption_by_default
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit.fixing import locate, set_value_fix
from tfguard.rules.kit.instances import RuleSet, instance_evaluators, nested_rule_sets
from tfguard.rules.kit.values import as_bool


def _has_dynamic(entity: Entity, name: str) -> bool:
    return any(d.labels == (name,) for d in entity.block.blocks_of("dynamic"))


class Ec2BlockDeviceEncryption(Rule):
    id = "aws-ec2-block-device-encryption"
    title = "EC2 block device is not encrypted"
    severity = Severity.HIGH
    rationale = (
        "An unencrypted EBS volume keeps its data, and every snapshot taken of it, readable "
        "to anyone who can copy or share the snapshot or attach the volume elsewhere. "
        "Encryption with KMS is transparent to the instance, costs nothing extra, and lets "
        "key policies control who can restore the data."
    )
    remediation = (
        "Set encrypted = true (optionally with a customer-managed kms_key_id) on "
        "root_block_device, ebs_block_device and launch template ebs blocks, or turn on EBS "
        "encryption by default for the account and region with "
        "aws_ebs_encryption_by_default."
    )
    links = (
        "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance#ebs-ephemeral-and-root-block-devices",
    )
    aliases = (
        "CKV_AWS_8",
        "AVD-AWS-0131",
        "AWS-0131",
        "aws-ec2-enable-at-rest-encryption",
        "AVD-AWS-0008",
        "AWS-0008",
        "aws-ec2-enable-launch-config-at-rest-encryption",
        "aws-autoscaling-enable-at-rest-encryption",
    )
    bad_example = """
resource "aws_instance" "app" {
  ami           = data.aws_ami.al2023.id
  instance_type = "t3.micro"

  root_block_device {
    volume_size = 20
    encrypted   = false
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 100
  }
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_instance" "app" {
  ami           = data.aws_ami.al2023.id
  instance_type = "t3.micro"

  root_block_device {
    volume_size = 20
    encrypted   = true
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 100
    encrypted   = true
    kms_key_id  = aws_kms_key.ebs.arn
  }
}

resource "aws_launch_template" "workers" {
  image_id = data.aws_ami.al2023.id

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 30
      encrypted   = "true"
    }
  }
}
"""
    fix_description = (
        "Adds encrypted = true to the block device (or a root_block_device with it), or sets "
        "it when the value is written in place rather than taken from a variable. On a launch "
        "template this only affects new instances and is safe; on an instance Terraform "
        "replaces the volume, so the fix is unsafe (applied only by tfguard fix "
        "--unsafe-fixes)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in ctx.resources("aws_instance", "aws_launch_configuration"):
            evaluators = instance_evaluators(ctx.module, entity)
            if not evaluators or ebs_encryption_by_default(ctx.module, entity):
                continue
            roots = list(nested_rule_sets(ctx.module, entity, "root_block_device", evaluators))
            from_template = entity.type == "aws_instance" and entity.block.block("launch_template")
            if not roots and not _has_dynamic(entity, "root_block_device") and not from_template:
                yield ctx.report(
                    entity,
                    entity.block,
                    f"{entity.address} has no root_block_device with encrypted = true: the "
                    "root volume is encrypted only if the AMI's snapshot is",
                    severity=Severity.MEDIUM,
                    data={"device": "root_block_device", "missing": True},
                )
            yield from self._devices(ctx, entity, roots, "root_block_device", root=True)
            ebs = nested_rule_sets(ctx.module, entity, "ebs_block_device", evaluators)
            yield from self._devices(ctx, entity, ebs, "ebs_block_device", root=False)
        for template in ctx.resources("aws_launch_template"):
            evaluators = instance_evaluators(ctx.module, template)
            if not evaluators or ebs_encryption_by_default(ctx.module, template):
                continue
            mappings = nested_rule_sets(ctx.module, template, "block_device_mappings", evaluators)
            volumes = [v for m in mappings if (v := m.nested("ebs")) is not None]
            yield from self._devices(ctx, template, volumes, "block_device_mappings.ebs", root=None)

    def _devices(
        self, ctx: Context, entity: Entity, devices: Iterable[RuleSet], kind: str, root: bool | None
    ) -> Iterator[Finding]:
        """``root``: True for root devices, False for new EBS devices, None when unknown
        (launch template mappings)."""
        seen: set[int] = set()
        for device in devices:
            finding = self._device(entity, device, kind, root)
            if finding is None or id(finding[0]) in seen:
                continue
            seen.add(id(finding[0]))
            anchor, message, severity, missing = finding
            data = {"device": kind, "missing": missing}
            yield ctx.report(entity, anchor, message, severity=severity, data=data)

    def _device(
        self, entity: Entity, device: RuleSet, kind: str, root: bool | None
    ) -> tuple[Anchor, str, Severity, bool] | None:
        encrypted = device.get("encrypted", None)
        if (as_bool(encrypted) is True) or encrypted is UNKNOWN:
            return None
        if as_bool(encrypted) is False:
            return (
                device.anchors["encrypted"],
                f"{entity.address} {kind} sets encrypted = false: the volume and its "
                "snapshots are stored unencrypted",
                Severity.HIGH,
                False,
            )
        if device.get("snapshot_id", None) not in (None, ""):
            return None  # restored from a snapshot: inherits its encryption
        if root is False:
            return (
                device.holder,
                f"{entity.address} {kind} does not set encrypted = true: the new volume is "
                "created unencrypted",
                Severity.HIGH,
                True,
            )
        consequence = (
            "the root volume is encrypted only if the AMI's snapshot is"
            if root
            else "a new volume is created unencrypted, a root volume follows the AMI"
        )
        return (
            device.holder,
            f"{entity.address} {kind} does not set encrypted = true: {consequence}",
            Severity.MEDIUM,
            True,
        )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        where = locate(module, finding)
        if where is None:
            return []
        # A template only shapes future instances; on an instance the change replaces it (and
        # its data), so it is offered but never applied unattended by fix-all.
        template = where.entity.type in ("aws_launch_template", "aws_launch_configuration")
        if where.attr is None and where.block is where.entity.block:
            # no root_block_device at all: add one
            edit = Editor(module).insert_block(
                where.entity, where.block, "root_block_device {\n  encrypted = true\n}"
            )
            title = (
                "Encrypt the root volume of instances started from now on"
                if template
                else "Encrypt the root volume (replaces the instance)"
            )
            kind: Applicability = "safe" if template else "unsafe"
            return [Fix(title, (edit,), kind, "" if template else "replaces the instance")]
        title = (
            "Encrypt the block device of instances started from now on"
            if template
            else "Encrypt the block device (replaces the volume)"
        )
        return set_value_fix(
            module,
            finding,
            title,
            "encrypted",
            True,
            applicability="safe" if template else "unsafe",
            consequence="" if template else "replaces the volume",
        )
