from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check


class EfsAccessPointRootDirectory(Check):
    id = "aws-efs-access-point-root-directory"
    title = "EFS access point exposes the whole file system"
    severity = Severity.MEDIUM
    rationale = (
        "An access point is how an application gets its own part of a shared file system. "
        'Without a root_directory path (or with path "/") it exposes the root of the file '
        "system: the application, or whoever compromises it, can read and change every other "
        "application's files."
    )
    remediation = (
        'Set root_directory { path = "/<application>" creation_info { ... } } so the access '
        "point is confined to its own directory."
    )
    links = (
        "https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html#enforce-root-directory-access-point",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_access_point#root_directory",
    )
    aliases = ("CKV_AWS_329",)
    bad_example = """
resource "aws_efs_access_point" "app" {
  file_system_id = aws_efs_file_system.shared.id

  posix_user {
    uid = 1000
    gid = 1000
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

    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "0750"
    }
  }
}
"""
    resource_types = ("aws_efs_access_point",)
    attribute = "root_directory.path"
    condition = NotEquals("/")
    default = "/"  # aws 4.x-6.x: the file system's root
    message = "EFS access point {address} exposes the file system's root ({value})"
    missing_message = (
        "EFS access point {address} exposes the file system's root (no root_directory)"
    )
    fix_description = (
        "No automatic fix: the directory an application should be confined to, and moving "
        "its existing files there, are the owner's choice."
    )
