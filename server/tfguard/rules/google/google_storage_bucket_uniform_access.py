from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleStorageBucketUniformAccess(Check):
    id = "google-storage-bucket-uniform-access"
    title = "Bucket allows object ACLs (uniform bucket-level access off)"
    severity = Severity.MEDIUM
    rationale = (
        "Without uniform bucket-level access, every object carries its own ACL next to the "
        "bucket's IAM policy: a single upload with a public-read ACL makes that object "
        "public, access reviews have to read millions of ACLs, and removing someone from "
        "IAM does not remove the ACL entries that name them. The provider's default is "
        "false."
    )
    remediation = (
        "Set uniform_bucket_level_access = true (move any ACL-based grants to IAM first; the "
        "setting becomes permanent after 90 days)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#uniform_bucket_level_access",
        "https://cloud.google.com/storage/docs/uniform-bucket-level-access",
    )
    aliases = (
        "CKV_GCP_29",
        "AVD-GCP-0002",
        "GCP-0002",
        "google-storage-enable-ubla",
    )
    bad_example = """
resource "google_storage_bucket" "assets" {
  name     = "shop-assets-4a1c"
  location = "EU"
}
"""
    good_example = """
resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}
"""
    resource_types = ("google_storage_bucket",)
    attribute = "uniform_bucket_level_access"
    condition = Equals(True)
    default = False  # google provider, all majors
    message = "Bucket {address} disables uniform bucket-level access"
    missing_message = "Bucket {address} does not enable uniform bucket-level access"
    fix = SetValue(
        "true",
        "Enable uniform bucket-level access",
        applicability="unsafe",
        consequence="access granted through object ACLs is lost",
    )
    fix_description = (
        "Sets uniform_bucket_level_access = true (not preferred: object ACLs stop being "
        "honoured, so access granted only through ACLs is lost)."
    )
