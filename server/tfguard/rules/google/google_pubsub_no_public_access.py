from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._iam import PUBSUB_THINGS
from tfguard.rules.google._public_iam import PublicIamRule


class GooglePubsubNoPublicAccess(PublicIamRule):
    id = "google-pubsub-no-public-access"
    title = "Pub/Sub topic or subscription is accessible to allUsers or allAuthenticatedUsers"
    severity = Severity.HIGH
    rationale = (
        "A public publisher role lets anyone inject messages that downstream services trust "
        "and process (orders, jobs, events); a public subscriber or viewer role lets anyone "
        "read the messages, which often carry personal data and tokens. Either turns an "
        "internal event bus into an open interface."
    )
    remediation = (
        "Remove allUsers / allAuthenticatedUsers and grant roles/pubsub.publisher or "
        "roles/pubsub.subscriber to the service accounts that need them."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/pubsub_topic_iam",
        "https://cloud.google.com/pubsub/docs/access-control",
    )
    aliases = ("CKV_GCP_99",)
    bad_example = """
resource "google_pubsub_topic_iam_binding" "orders" {
  topic   = "orders"
  role    = "roles/pubsub.publisher"
  members = ["allUsers"]
}
"""
    good_example = """
resource "google_pubsub_topic_iam_binding" "orders" {
  topic   = "orders"
  role    = "roles/pubsub.publisher"
  members = ["serviceAccount:checkout@shop-prod-4a1c.iam.gserviceaccount.com"]
}
"""
    things = PUBSUB_THINGS
    what = "Pub/Sub"
