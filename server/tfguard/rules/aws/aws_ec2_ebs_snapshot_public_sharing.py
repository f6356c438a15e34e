from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check, SetValue


class Ec2EbsSnapshotPublicSharing(Check):
    id = "aws-ec2-ebs-snapshot-public-sharing"
    title = "Account allows EBS snapshots to be made public"
    severity = Severity.MEDIUM
    rationale = (
        'aws_ebs_snapshot_block_public_access with state = "unblocked" lets anyone in the '
        "account with ec2:ModifySnapshotAttribute publish a snapshot to every AWS account, "
        "who can then create a volume from it and read the disk: databases, keys and "
        "application data. Public EBS snapshots are a recurring source of leaks; the block "
        "stops them account-wide in the region."
    )
    remediation = (
        'Set state = "block-all-sharing" (or "block-new-sharing" while existing public '
        "snapshots are reviewed), and share snapshots with named accounts only."
    )
    links = (
        "https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_snapshot_block_public_access",
    )
    bad_example = """
resource "aws_ebs_snapshot_block_public_access" "account" {
  state = "unblocked"
}
"""
    good_example = """
resource "aws_ebs_snapshot_block_public_access" "account" {
  state = "block-all-sharing"
}
"""
    resource_types = ("aws_ebs_snapshot_block_public_access",)
    attribute = "state"
    condition = NotEquals("unblocked", ignore_case=True)
    message = (
        "{address} allows EBS snapshots of this account and region to be made public "
        '(state = "unblocked")'
    )
    fix = SetValue(
        '"block-new-sharing"',
        "Block public sharing of new snapshots",
        applicability="unsafe",
        consequence="a snapshot can no longer be published on purpose",
    )
    fix_description = (
        'Sets state = "block-new-sharing" (snapshots already public stay public). Offered, '
        "not applied unattended: a snapshot published on purpose can no longer be shared."
    )
