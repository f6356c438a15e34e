from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Module
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.google._compute import FROM_TEMPLATE, INSTANCES
from tfguard.rules.kit.resources import live
from tfguard.syntax import Block

_DISK_KEYS = (
    "raw_key",
    "raw_key_wo",
    "rsa_encrypted_key",
    "rsa_encrypted_key_wo",
    "kms_key_self_link",
    "kms_key_name",
)
_BOOT_KEYS = (
    "disk_encryption_key_raw",
    "disk_encryption_key_rsa",
    "kms_key_self_link",
    "disk_encryption_key_raw_wo",
)
_TEMPLATE_TYPES = ("google_compute_instance_template", "google_compute_region_instance_template")


def _keyed(module: Module, block: Block | None, names: tuple[str, ...]) -> bool:
    """A key argument is written, and not as an empty string."""
    if block is None:
        return False
    for name in names:
        attr = block.attr(name)
        if attr is not None and module.cached_value(attr.value) not in ("", None):
            return True
    return False


class GoogleComputeDiskCustomerKey(Rule):
    id = "google-compute-disk-customer-key"
    title = "Compute disk is encrypted with a Google-managed key"
    severity = Severity.LOW
    rationale = (
        "Persistent disks are always encrypted, but with a Google-managed key by default: "
        "access to the data cannot be revoked or audited separately from the disk, and a "
        "snapshot or image copied elsewhere stays readable. A Cloud KMS key (CMEK) or a "
        "customer-supplied key (CSEK) puts decryption under your control, as many "
        "compliance regimes require for sensitive data."
    )
    remediation = (
        "Set disk_encryption_key { kms_key_self_link = <key> } on google_compute_disk, and "
        "kms_key_self_link on instance boot disks (boot_disk) and template disks."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_disk#disk_encryption_key",
        "https://cloud.google.com/compute/docs/disks/customer-managed-encryption",
    )
    aliases = (
        "CKV_GCP_37",
        "CKV_GCP_38",
        "AVD-GCP-0033",
        "GCP-0033",
        "google-compute-vm-disk-encryption-customer-key",
        "AVD-GCP-0034",
        "GCP-0034",
        "google-compute-disk-encryption-customer-key",
    )
    bad_example = """
resource "google_compute_disk" "data" {
  name = "data"
  type = "pd-ssd"
  zone = "europe-west1-b"
  size = 100
}
"""
    good_example = """
resource "google_compute_disk" "data" {
  name = "data"
  type = "pd-ssd"
  zone = "europe-west1-b"
  size = 100

  disk_encryption_key {
    kms_key_self_link = "projects/app/locations/europe-west1/keyRings/disks/cryptoKeys/data"
  }
}
"""
    fix_description = (
        "No automatic fix: it needs a Cloud KMS key, and changing it replaces the disk."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, "google_compute_disk", "google_compute_region_disk"):
            key = entity.block.block("disk_encryption_key")
            if not _keyed(module, key, _DISK_KEYS):
                # An empty key argument (raw_key = ""): the finding goes on it.
                empty = [a for n in _DISK_KEYS if key is not None and (a := key.attr(n))]
                anchor: Anchor = empty[0] if empty else (key or entity.block)
                yield ctx.report(
                    entity,
                    anchor,
                    f"Disk {entity.address} is encrypted with a Google-managed key",
                )
        for entity in live(module, *INSTANCES):
            if entity.type == FROM_TEMPLATE:
                continue
            if entity.type in _TEMPLATE_TYPES:
                for disk in entity.block.blocks_of("disk"):
                    if disk.attr("source") is not None:
                        continue  # an existing disk: reported where it is defined
                    key = disk.block("disk_encryption_key")
                    if not _keyed(module, key, ("kms_key_self_link",)):
                        yield ctx.report(
                            entity,
                            disk,
                            f"A disk of template {entity.address} is encrypted with a "
                            "Google-managed key",
                        )
                continue
            boot = entity.block.block("boot_disk")
            if boot is None or boot.attr("source") is not None:
                continue
            if not _keyed(module, boot, _BOOT_KEYS):
                yield ctx.report(
                    entity,
                    boot,
                    f"The boot disk of {entity.address} is encrypted with a Google-managed key",
                )
