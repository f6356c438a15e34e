from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context
from tfguard.rules.google._iam import describe_public, grant_related, public_grants
from tfguard.rules.google._public_iam import PublicIamRule


class GoogleIamNoPublicMembers(PublicIamRule):
    id = "google-iam-no-public-members"
    title = "IAM grants a role to allUsers or allAuthenticatedUsers"
    severity = Severity.HIGH
    rationale = (
        "allUsers is anyone on the internet and allAuthenticatedUsers anyone with a Google "
        "account. A role granted to them on a project, folder or organization applies to "
        "every resource below it (critical); on a secret, a service account, a Dataproc "
        "cluster or any other resource it publishes that resource. Buckets, KMS keys, "
        "Cloud Run, Cloud Functions, Pub/Sub, BigQuery and Artifact Registry have rules of "
        "their own."
    )
    remediation = (
        "Remove the public member and grant the role to the groups or service accounts that "
        "need it."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_iam",
        "https://cloud.google.com/iam/docs/principals-overview#all-users",
    )
    aliases = ("CKV_GCP_98",)
    bad_example = """
resource "google_secret_manager_secret_iam_member" "public" {
  secret_id = "projects/shop-prod-4a1c/secrets/api-key"
  role      = "roles/secretmanager.secretAccessor"
  member    = "allAuthenticatedUsers"
}
"""
    good_example = """
resource "google_secret_manager_secret_iam_member" "orders" {
  secret_id = "projects/shop-prod-4a1c/secrets/api-key"
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:orders@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    things = None
    what = "IAM"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for grant in public_grants(ctx.module, None):
            wide = grant.scope in ("project", "folder", "organization")
            thing = grant.thing.replace("_", " ").capitalize()
            what = f"{grant.scope.capitalize()} IAM" if wide else thing
            yield ctx.report(
                grant.entity,
                grant.principal_anchor or grant.entity.block,
                describe_public(grant, what),
                severity=Severity.CRITICAL if wide else None,
                related=grant_related(grant),
            )
