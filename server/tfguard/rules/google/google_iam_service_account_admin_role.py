from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._iam import (
    grant_related,
    hierarchy_grants,
    is_identity,
    is_impersonation_role,
    is_primitive_role,
    member_kind,
)


def _admin(role: str) -> bool:
    """An administrator role (``roles/storage.admin``, ``roles/iam.securityAdmin``), other
    than the primitive and impersonation roles, which rules of their own report."""
    name = role.strip().lower()
    return (
        name.endswith("admin") and not is_impersonation_role(role) and not (is_primitive_role(role))
    )


class GoogleIamServiceAccountAdminRole(Rule):
    id = "google-iam-service-account-admin-role"
    title = "Service account holds an administrator role on a project, folder or organization"
    severity = Severity.MEDIUM
    rationale = (
        "A service account's key or token is the credential most often leaked (CI logs, "
        "container images, compromised workloads), and nobody logs in with 2-step "
        "verification as it. An administrator role at project, folder or organization level "
        "(roles/compute.admin, roles/storage.admin, roles/resourcemanager.projectIamAdmin...) "
        "turns that leak into control over every resource of the service, or over IAM "
        "itself. CIS asks that service accounts hold no admin roles."
    )
    remediation = (
        "Grant the service account the narrower roles it uses (viewer, user, writer roles) "
        "on the resources it works on, or split the deployment identity by environment."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_iam",
        "https://cloud.google.com/iam/docs/best-practices-service-accounts#restrict-admin",
    )
    aliases = (
        "CKV_GCP_42",
        "AVD-GCP-0007",
        "GCP-0007",
        "google-iam-no-privileged-service-accounts",
    )
    bad_example = """
resource "google_project_iam_member" "app" {
  project = "shop-prod-4a1c"
  role    = "roles/storage.admin"
  member  = "serviceAccount:app@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    good_example = """
resource "google_project_iam_member" "app" {
  project = "shop-prod-4a1c"
  role    = "roles/storage.objectUser"
  member  = "serviceAccount:app@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    fix_description = "No automatic fix: the narrower roles depend on what the account does."

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[int] = set()
        for grant in hierarchy_grants(ctx.module):
            roles = [r for r in grant.permissions if _admin(r)]
            accounts = [
                p for p in grant.principals if member_kind(p) == "serviceAccount" and is_identity(p)
            ]
            anchor = grant.permission_anchor or grant.entity.block
            if not roles or not accounts or id(anchor) in seen:
                continue
            seen.add(id(anchor))
            yield ctx.report(
                grant.entity,
                anchor,
                f"Service account {', '.join(a.partition(':')[2] for a in accounts)} is "
                f"granted {roles[0]} at {grant.scope} level",
                related=grant_related(grant),
            )
