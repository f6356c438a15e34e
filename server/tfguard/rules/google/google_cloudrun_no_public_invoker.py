from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._iam import RUN_THINGS
from tfguard.rules.google._public_iam import PublicIamRule


class GoogleCloudrunNoPublicInvoker(PublicIamRule):
    id = "google-cloudrun-no-public-invoker"
    title = "Cloud Run service can be invoked by anyone"
    severity = Severity.MEDIUM
    rationale = (
        "roles/run.invoker for allUsers (or allAuthenticatedUsers) switches off Cloud Run's "
        "IAM check: every request from the internet reaches the container, which must then "
        "authenticate callers itself. That is right for a public website or webhook and a "
        "data leak or an open admin API for an internal service, and it also lets anyone "
        "run up the bill."
    )
    remediation = (
        "Remove the public member and grant roles/run.invoker to the callers' service "
        "accounts (or put the service behind IAP or an API gateway); keep it only for "
        "services that are public by design, with ingress limited to the load balancer."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/cloud_run_v2_service_iam",
        "https://cloud.google.com/run/docs/securing/managing-access",
    )
    aliases = ("CKV_GCP_102",)
    bad_example = """
resource "google_cloud_run_v2_service_iam_member" "public" {
  name     = "orders-api"
  location = "europe-west1"
  role     = "roles/run.invoker"
  member   = "allUsers"
}
"""
    good_example = """
resource "google_cloud_run_v2_service_iam_member" "frontend" {
  name     = "orders-api"
  location = "europe-west1"
  role     = "roles/run.invoker"
  member   = "serviceAccount:frontend@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    things = RUN_THINGS
    what = "Cloud Run service"
