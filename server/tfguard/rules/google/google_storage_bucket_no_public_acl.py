from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._public_bucket import report_grants
from tfguard.rules.google._storage import acl_public_grants


class GoogleStorageBucketNoPublicAcl(Rule):
    id = "google-storage-bucket-no-public-acl"
    title = "Bucket or object ACL grants access to allUsers or allAuthenticatedUsers"
    severity = Severity.HIGH
    rationale = (
        "A google_storage_bucket_acl, default object ACL or object ACL with a public "
        "predefined ACL (publicRead, publicReadWrite) or a role_entity / entity naming "
        "allUsers or allAuthenticatedUsers makes the bucket listable, its objects readable "
        "or, with WRITER / OWNER, writable by anyone. A default object ACL silently makes "
        "every future upload public. Critical for write access, high otherwise."
    )
    remediation = (
        'Remove the public entries (use predefined_acl = "private" or '
        '"projectPrivate"), then enable uniform bucket-level access so ACLs no longer '
        "apply, and enforce public access prevention."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket_acl",
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_default_object_acl",
        "https://cloud.google.com/storage/docs/access-control/lists",
    )
    bad_example = """
resource "google_storage_bucket" "downloads" {
  name     = "shop-downloads-4a1c"
  location = "EU"
}

resource "google_storage_default_object_acl" "downloads" {
  bucket      = google_storage_bucket.downloads.name
  role_entity = ["OWNER:project-owners-123456789012", "READER:allUsers"]
}
"""
    good_example = """
resource "google_storage_bucket" "downloads" {
  name     = "shop-downloads-4a1c"
  location = "EU"
}

resource "google_storage_bucket_acl" "downloads" {
  bucket         = google_storage_bucket.downloads.name
  predefined_acl = "projectPrivate"
}
"""
    fix_description = "No automatic fix: removing public access may break links that depend on it."

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield from report_grants(ctx, acl_public_grants(ctx.module), "The ACL")
