from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals, Satisfies
from tfguard.rules.kit.declarative import Check, SetValue, When
from tfguard.rules.kit.paths import ABSENT
from tfguard.rules.kit.values import UNKNOWN, Value, as_number, as_string

NINETY_DAYS = 90 * 24 * 3600


def _rotates_often(value: Value) -> Value:
    if value is ABSENT:
        return False
    text = as_string(value)
    if text is UNKNOWN:
        return UNKNOWN
    seconds = as_number(str(text).strip().removesuffix("s"))
    return UNKNOWN if seconds is UNKNOWN else seconds <= NINETY_DAYS


class GoogleKmsKeyRotation(Check):
    id = "google-kms-key-rotation"
    title = "Cloud KMS key is not rotated at least every 90 days"
    severity = Severity.MEDIUM
    rationale = (
        "Without rotation_period a symmetric Cloud KMS key keeps encrypting with the same "
        "key version forever; a longer period keeps a version in use for longer. The more "
        "data one version protects and the longer it lives, the more a leaked or "
        "cryptanalysed version exposes, and CIS asks for rotation within 90 days. Old "
        "versions stay available to decrypt, so rotation breaks nothing."
    )
    remediation = (
        'Set rotation_period = "7776000s" (90 days) or shorter on symmetric (ENCRYPT_DECRYPT) keys.'
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/kms_crypto_key#rotation_period",
        "https://cloud.google.com/kms/docs/key-rotation",
    )
    aliases = (
        "CKV_GCP_43",
        "AVD-GCP-0065",
        "GCP-0065",
        "google-kms-rotate-kms-keys",
    )
    bad_example = """
resource "google_kms_crypto_key" "data" {
  name     = "data"
  key_ring = "projects/shop/locations/europe/keyRings/app"
}
"""
    good_example = """
resource "google_kms_crypto_key" "data" {
  name            = "data"
  key_ring        = "projects/shop/locations/europe/keyRings/app"
  rotation_period = "7776000s"
}

resource "google_kms_crypto_key" "signing" {
  name     = "signing"
  key_ring = "projects/shop/locations/europe/keyRings/app"
  purpose  = "ASYMMETRIC_SIGN"

  version_template {
    algorithm = "EC_SIGN_P256_SHA256"
  }
}
"""
    resource_types = ("google_kms_crypto_key",)
    attribute = "rotation_period"
    condition = Satisfies(_rotates_often, "must be at most 7776000s (90 days)")
    # Only symmetric keys rotate automatically (google provider: purpose defaults to
    # ENCRYPT_DECRYPT).
    only_if = (When("purpose", Equals("ENCRYPT_DECRYPT"), "ENCRYPT_DECRYPT"),)
    message = "KMS key {address} rotates every {value}, less often than every 90 days"
    missing_message = "KMS key {address} is never rotated (no rotation_period)"
    fix = SetValue('"7776000s"', "Rotate the key every 90 days")
