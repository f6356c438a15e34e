from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class GoogleStorageBucketCustomerKey(Check):
    id = "google-storage-bucket-customer-key"
    title = "Bucket is encrypted with a Google-managed key"
    severity = Severity.LOW
    rationale = (
        "Objects are always encrypted at rest, but with Google-managed keys unless the bucket "
        "names a Cloud KMS key (encryption.default_kms_key_name). With your own key, access "
        "to the data can be revoked by disabling the key, key use is audited, and key "
        "rotation follows your policy, which several compliance frameworks require for "
        "sensitive data."
    )
    remediation = (
        "Add encryption { default_kms_key_name = <KMS key id> } and grant the project's "
        "Cloud Storage service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#encryption",
        "https://cloud.google.com/storage/docs/encryption/customer-managed-keys",
    )
    aliases = (
        "AVD-GCP-0066",
        "GCP-0066",
        "google-storage-bucket-encryption-customer-key",
    )
    bad_example = """
resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}
"""
    good_example = """
resource "google_storage_bucket" "assets" {
  name                        = "shop-assets-4a1c"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  encryption {
    default_kms_key_name = "projects/shop/locations/europe/keyRings/storage/cryptoKeys/assets"
  }
}
"""
    resource_types = ("google_storage_bucket",)
    attribute = "encryption.default_kms_key_name"
    condition = NotEmpty()
    message = "Bucket {address} names no Cloud KMS key"
    missing_message = "Bucket {address} is encrypted with a Google-managed key"
    fix_description = "No automatic fix: it needs a Cloud KMS key and a grant to Cloud Storage."
