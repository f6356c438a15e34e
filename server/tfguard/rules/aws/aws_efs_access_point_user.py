from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Present
from tfguard.rules.kit.declarative import Check


class EfsAccessPointUser(Check):
    id = "aws-efs-access-point-user"
    title = "EFS access point does not enforce a POSIX user"
    severity = Severity.LOW
    rationale = (
        "Without posix_user, an access point lets each NFS client act as whatever user and "
        "group it claims, root included: a compromised client can read or overwrite any file "
        "its claimed identity allows. A posix_user makes every request through the access "
        "point run as one fixed uid and gid."
    )
    remediation = "Add posix_user { uid = <uid> gid = <gid> } for the application's identity."
    links = (
        "https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html#enforce-identity-access-points",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_access_point#posix_user",
    )
    aliases = ("CKV_AWS_330",)
    bad_example = """
resource "aws_efs_access_point" "app" {
  file_system_id = aws_efs_file_system.shared.id

  root_directory {
    path = "/app"
  }
}
"""
    good_example = """
resource "aws_efs_access_point" "app" {
  file_system_id = aws_efs_file_system.shared.id

  posix_user {
    uid = 1000
    gid = 1000
  }

  root_directory {
    path = "/app"
  }
}
"""
    resource_types = ("aws_efs_access_point",)
    attribute = "posix_user.gid"
    condition = Present()
    message = "EFS access point {address} does not enforce a POSIX user"
    fix_description = "No automatic fix: the uid and gid belong to the application."
