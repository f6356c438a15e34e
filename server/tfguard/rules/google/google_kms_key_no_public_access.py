from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._iam import KMS_THINGS
from tfguard.rules.google._public_iam import PublicIamRule


class GoogleKmsKeyNoPublicAccess(PublicIamRule):
    id = "google-kms-key-no-public-access"
    title = "Cloud KMS key or key ring is accessible to allUsers or allAuthenticatedUsers"
    severity = Severity.CRITICAL
    rationale = (
        "A KMS key protects other data: granting allUsers or allAuthenticatedUsers a role on "
        "it (or on its key ring, which every key inherits) lets anyone decrypt what it "
        "encrypts, sign as its owner, or, with admin roles, disable and destroy it, which "
        "makes every CMEK-encrypted disk, bucket and database that uses it unreadable."
    )
    remediation = (
        "Remove allUsers / allAuthenticatedUsers from the key's and key ring's IAM; grant "
        "roles/cloudkms.cryptoKeyEncrypterDecrypter to the service agents that use the key."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_kms_crypto_key_iam",
        "https://cloud.google.com/kms/docs/iam",
    )
    aliases = ("CKV_GCP_112", "CKV2_GCP_6", "CKV2_GCP_8")
    bad_example = """
resource "google_kms_crypto_key_iam_member" "public" {
  crypto_key_id = "projects/shop/locations/europe/keyRings/app/cryptoKeys/data"
  role          = "roles/cloudkms.cryptoKeyDecrypter"
  member        = "allAuthenticatedUsers"
}
"""
    good_example = """
resource "google_kms_crypto_key_iam_member" "storage" {
  crypto_key_id = "projects/shop/locations/europe/keyRings/app/cryptoKeys/data"
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com"
}
"""
    things = KMS_THINGS
    what = "KMS key"
