from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._public_bucket import report_grants
from tfguard.rules.google._storage import iam_public_grants


class GoogleStorageBucketNoPublicIam(Rule):
    id = "google-storage-bucket-no-public-iam"
    title = "Bucket IAM grants access to allUsers or allAuthenticatedUsers"
    severity = Severity.HIGH
    rationale = (
        "allUsers is anyone on the internet; allAuthenticatedUsers is anyone with any Google "
        "account, which is the same thing. A bucket IAM member, binding or policy that names "
        "either publishes the bucket's objects (objectViewer also lets them be listed) or, "
        "with objectCreator / objectAdmin, lets anyone upload, overwrite and delete them: "
        "malware hosting, defacement, data loss. Critical for write roles, high for read; "
        "low when the bucket enforces public access prevention, which refuses the grant."
    )
    remediation = (
        "Remove allUsers / allAuthenticatedUsers from the bucket's IAM; share objects with "
        "signed URLs, or serve public content through Cloud CDN with a private bucket "
        "behind it, and enforce public access prevention."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket_iam",
        "https://cloud.google.com/storage/docs/access-control/making-data-public",
        "https://cloud.google.com/storage/docs/public-access-prevention",
    )
    aliases = (
        "CKV_GCP_28",
        "AVD-GCP-0001",
        "GCP-0001",
        "google-storage-no-public-access",
    )
    bad_example = """
resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
}

resource "google_storage_bucket_iam_member" "public" {
  bucket = google_storage_bucket.assets.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
"""
    good_example = """
resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

resource "google_storage_bucket_iam_member" "cdn" {
  bucket = google_storage_bucket.assets.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:cdn@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    fix_description = (
        "No automatic fix: removing public access may break a site or a download link; "
        "decide who needs access first."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield from report_grants(ctx, iam_public_grants(ctx.module), "Bucket IAM")
