from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class GoogleBigqueryDatasetCustomerKey(Check):
    id = "google-bigquery-dataset-customer-key"
    title = "BigQuery dataset is encrypted with a Google-managed key"
    severity = Severity.LOW
    rationale = (
        "Tables are encrypted at rest with Google-managed keys unless the dataset names a "
        "default Cloud KMS key. A customer-managed key lets you revoke access to the data by "
        "disabling the key, audits every use of it, and is required by several compliance "
        "regimes for the bulk personal data analytics datasets tend to hold."
    )
    remediation = (
        "Add default_encryption_configuration { kms_key_name = <key> } and grant the "
        "BigQuery service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on the key."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/bigquery_dataset#default_encryption_configuration",
        "https://cloud.google.com/bigquery/docs/customer-managed-encryption",
    )
    aliases = ("CKV_GCP_81",)
    bad_example = """
resource "google_bigquery_dataset" "events" {
  dataset_id = "events"
  location   = "EU"
}
"""
    good_example = """
resource "google_bigquery_dataset" "events" {
  dataset_id = "events"
  location   = "EU"

  default_encryption_configuration {
    kms_key_name = "projects/shop/locations/eu/keyRings/bigquery/cryptoKeys/events"
  }
}
"""
    resource_types = ("google_bigquery_dataset",)
    attribute = "default_encryption_configuration.kms_key_name"
    condition = NotEmpty()
    message = "BigQuery dataset {address} names no Cloud KMS key"
    missing_message = "BigQuery dataset {address} is encrypted with a Google-managed key"
    fix_description = "No automatic fix: it needs a Cloud KMS key and a grant to BigQuery."
