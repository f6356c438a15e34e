from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live


class GoogleIamServiceAccountKey(Rule):
    id = "google-iam-service-account-key"
    title = "Service account key created by Terraform"
    severity = Severity.MEDIUM
    rationale = (
        "A google_service_account_key is a long-lived credential: it does not expire (unless "
        "an organization policy says so), works from anywhere, and Terraform stores its "
        "private key in the state file, base64-encoded, for everyone who can read the state. "
        "Leaked service-account keys are the most common way Google Cloud projects are "
        "breached. With public_key_data the private key stays outside Terraform, but the "
        "key is still long-lived (low)."
    )
    remediation = (
        "Remove the key: attach the service account to the workload (GKE Workload Identity, "
        "Cloud Run, VMs), use workload identity federation from other clouds and CI, or "
        "service-account impersonation for people."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_service_account_key",
        "https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys",
        "https://cloud.google.com/iam/docs/workload-identity-federation",
    )
    aliases = ("CKV2_GCP_3",)
    bad_example = """
resource "google_service_account" "ci" {
  account_id = "ci"
}

resource "google_service_account_key" "ci" {
  service_account_id = google_service_account.ci.name
}
"""
    good_example = """
resource "google_service_account" "ci" {
  account_id = "ci"
}

resource "google_service_account_iam_member" "github" {
  service_account_id = google_service_account.ci.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ci/attribute.repository/shop-org/shop"
}
"""
    fix_description = (
        "No automatic fix: the workload must first authenticate another way (attached "
        "service account, workload identity federation)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in live(ctx.module, "google_service_account_key"):
            uploaded = entity.attr("public_key_data") is not None
            if uploaded:
                message = (
                    f"{entity.address} uploads a long-lived service-account key (its private "
                    "key is kept outside Terraform)"
                )
            else:
                message = (
                    f"{entity.address} creates a long-lived service-account key whose private "
                    "key is stored in the Terraform state"
                )
            yield ctx.report(
                entity,
                entity.attr("public_key_data") or entity.block,
                message,
                severity=Severity.LOW if uploaded else None,
            )
