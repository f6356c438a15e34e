from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class GooglePubsubTopicCustomerKey(Check):
    id = "google-pubsub-topic-customer-key"
    title = "Pub/Sub topic is encrypted with a Google-managed key"
    severity = Severity.LOW
    rationale = (
        "Messages are encrypted at rest with Google-managed keys unless the topic names a "
        "Cloud KMS key (kms_key_name). With a customer-managed key, access to retained "
        "messages can be revoked by disabling the key and every use of it is audited, as "
        "compliance regimes often require for the personal data events carry."
    )
    remediation = (
        "Set kms_key_name on the topic and grant the Pub/Sub service agent "
        "roles/cloudkms.cryptoKeyEncrypterDecrypter on the key."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/pubsub_topic#kms_key_name",
        "https://cloud.google.com/pubsub/docs/encryption",
    )
    aliases = ("CKV_GCP_83",)
    bad_example = """
resource "google_pubsub_topic" "orders" {
  name = "orders"
}
"""
    good_example = """
resource "google_pubsub_topic" "orders" {
  name         = "orders"
  kms_key_name = "projects/shop/locations/europe/keyRings/pubsub/cryptoKeys/orders"
}
"""
    resource_types = ("google_pubsub_topic",)
    attribute = "kms_key_name"
    condition = NotEmpty()
    message = "Pub/Sub topic {address} names no Cloud KMS key"
    missing_message = "Pub/Sub topic {address} is encrypted with a Google-managed key"
    fix_description = "No automatic fix: it needs a Cloud KMS key and a grant to Pub/Sub."
