from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleStorageBucketPublicAccessPrevention(Check):
    id = "google-storage-bucket-public-access-prevention"
    title = "Bucket does not enforce public access prevention"
    severity = Severity.MEDIUM
    rationale = (
        'public_access_prevention = "enforced" makes Cloud Storage refuse every grant to '
        "allUsers and allAuthenticatedUsers on the bucket, whether it comes from IAM, an ACL "
        'or an object upload. Left at "inherited" (the default), the bucket is only as '
        "private as the organization policy and the next person editing its IAM make it. "
        "Buckets that serve a website are not reported."
    )
    remediation = 'Set public_access_prevention = "enforced" on buckets that must stay private.'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#public_access_prevention",
        "https://cloud.google.com/storage/docs/public-access-prevention",
    )
    aliases = ("CKV_GCP_114",)
    bad_example = """
resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
}
"""
    good_example = """
resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

resource "google_storage_bucket" "site" {
  name                        = "www-shop-example"
  location                    = "EU"
  uniform_bucket_level_access = true

  website {
    main_page_suffix = "index.html"
  }
}
"""
    resource_types = ("google_storage_bucket",)
    attribute = "public_access_prevention"
    condition = Equals("enforced")
    default = "inherited"  # google provider 4.x and later
    message = "Bucket {address} sets public access prevention to {value}"
    missing_message = "Bucket {address} does not enforce public access prevention"
    fix = SetValue(
        '"enforced"',
        "Enforce public access prevention",
        applicability="unsafe",
        consequence="public access to the bucket stops working",
    )
    fix_description = (
        'Sets public_access_prevention = "enforced" (not preferred: any public access the '
        "bucket has today stops working)."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        # A static website bucket is public on purpose.
        return [e for e in super().subjects(module) if not e.block.blocks_of("website")]
