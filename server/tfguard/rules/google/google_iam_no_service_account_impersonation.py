from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._iam import (
    grant_related,
    hierarchy_grants,
    is_identity,
    is_impersonation_role,
)


class GoogleIamNoServiceAccountImpersonation(Rule):
    id = "google-iam-no-service-account-impersonation"
    title = "Service-account impersonation granted on a whole project, folder or organization"
    severity = Severity.HIGH
    rationale = (
        "Service Account User, Token Creator, Key Admin, Service Account Admin and Workload "
        "Identity User let the grantee act as a service account (attach it, mint its tokens, "
        "create its keys). Granted at project, folder or organization level they apply to "
        "every service account below, including the most privileged ones, so the grantee "
        "inherits the rights of all of them: a privilege escalation path that IAM reviews "
        "of the person alone do not show."
    )
    remediation = (
        "Grant these roles on the individual service account (google_service_account_iam_"
        "member with service_account_id) the principal needs to use, not on the project."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_service_account_iam",
        "https://cloud.google.com/iam/docs/service-account-permissions#user-role",
    )
    aliases = (
        "CKV_GCP_41",
        "CKV_GCP_49",
        "CKV_GCP_44",
        "CKV_GCP_45",
        "AVD-GCP-0011",
        "GCP-0011",
        "google-iam-no-project-level-service-account-impersonation",
        "AVD-GCP-0005",
        "GCP-0005",
        "google-iam-no-folder-level-service-account-impersonation",
        "AVD-GCP-0009",
        "GCP-0009",
        "google-iam-no-org-level-service-account-impersonation",
    )
    bad_example = """
resource "google_project_iam_binding" "deployers" {
  project = "shop-prod-4a1c"
  role    = "roles/iam.serviceAccountUser"
  members = ["group:deployers@example.com"]
}
"""
    good_example = """
resource "google_service_account" "run" {
  account_id = "run"
}

resource "google_service_account_iam_member" "deployers" {
  service_account_id = google_service_account.run.name
  role               = "roles/iam.serviceAccountUser"
  member             = "group:deployers@example.com"
}
"""
    fix_description = (
        "No automatic fix: the grant must move to the service accounts the principal really uses."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[int] = set()
        for grant in hierarchy_grants(ctx.module):
            roles = [r for r in grant.permissions if is_impersonation_role(r)]
            principals = [p for p in grant.principals if is_identity(p)]
            anchor = grant.permission_anchor or grant.entity.block
            if not roles or not principals or id(anchor) in seen:
                continue
            seen.add(id(anchor))
            yield ctx.report(
                grant.entity,
                anchor,
                f"{roles[0]} is granted at {grant.scope} level to {', '.join(principals)}: "
                f"they can act as every service account of the {grant.scope}",
                related=grant_related(grant),
            )
