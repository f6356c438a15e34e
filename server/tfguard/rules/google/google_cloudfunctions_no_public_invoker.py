from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._iam import FUNCTION_THINGS
from tfguard.rules.google._public_iam import PublicIamRule


class GoogleCloudfunctionsNoPublicInvoker(PublicIamRule):
    id = "google-cloudfunctions-no-public-invoker"
    title = "Cloud Function can be invoked by anyone"
    severity = Severity.MEDIUM
    rationale = (
        "roles/cloudfunctions.invoker (or run.invoker for 2nd-gen functions) for allUsers "
        "lets anyone on the internet call the function with whatever it accepts, and the "
        "function runs with its service account's rights: internal helpers exposed this way "
        "become open proxies into the project, and every call is billed."
    )
    remediation = (
        "Remove the public member and grant the invoker role to the callers' service "
        "accounts; for public webhooks, verify the caller (signature, token) in the function."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/cloudfunctions_function_iam",
        "https://cloud.google.com/functions/docs/securing/managing-access-iam",
    )
    aliases = ("CKV_GCP_107",)
    bad_example = """
resource "google_cloudfunctions_function_iam_member" "public" {
  cloud_function = "resize-images"
  region         = "europe-west1"
  role           = "roles/cloudfunctions.invoker"
  member         = "allUsers"
}
"""
    good_example = """
resource "google_cloudfunctions_function_iam_member" "scheduler" {
  cloud_function = "resize-images"
  region         = "europe-west1"
  role           = "roles/cloudfunctions.invoker"
  member         = "serviceAccount:scheduler@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    things = FUNCTION_THINGS
    what = "Cloud Function"
