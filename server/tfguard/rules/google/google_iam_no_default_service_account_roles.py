from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._iam import (
    grant_related,
    hierarchy_grants,
    is_default_account,
    is_primitive_role,
)


class GoogleIamNoDefaultServiceAccountRoles(Rule):
    id = "google-iam-no-default-service-account-roles"
    title = "Role granted to a default service account on a project, folder or organization"
    severity = Severity.MEDIUM
    rationale = (
        "The Compute Engine and App Engine default service accounts run every VM, GKE node, "
        "Cloud Function and App Engine app that does not name another account. A role given "
        "to them at project, folder or organization level is therefore handed to all those "
        "workloads at once, present and future, and cannot be traced to the one that needed "
        "it. (Owner and Editor grants are reported by google-iam-no-primitive-roles.)"
    )
    remediation = (
        "Create a dedicated service account for the workload that needs the role, grant the "
        "role to it, and run the workload as it."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_iam",
        "https://cloud.google.com/iam/docs/service-account-types#default",
    )
    aliases = (
        "CKV_GCP_46",
        "CKV_GCP_47",
        "CKV_GCP_48",
        "AVD-GCP-0006",
        "GCP-0006",
        "google-iam-no-project-level-default-service-account-assignment",
        "AVD-GCP-0004",
        "GCP-0004",
        "google-iam-no-folder-level-default-service-account-assignment",
        "AVD-GCP-0008",
        "GCP-0008",
        "google-iam-no-org-level-default-service-account-assignment",
    )
    bad_example = """
resource "google_project_iam_member" "nodes" {
  project = "shop-prod-4a1c"
  role    = "roles/secretmanager.secretAccessor"
  member  = "serviceAccount:123456789012-compute@developer.gserviceaccount.com"
}
"""
    good_example = """
resource "google_project_iam_member" "nodes" {
  project = "shop-prod-4a1c"
  role    = "roles/secretmanager.secretAccessor"
  member  = "serviceAccount:orders@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    fix_description = "No automatic fix: the workload needs a service account of its own."

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[int] = set()
        for grant in hierarchy_grants(ctx.module):
            if any(is_primitive_role(r) for r in grant.permissions) or not grant.permissions:
                continue
            accounts = [p for p in grant.principals if is_default_account(p)]
            anchor = grant.principal_anchor or grant.entity.block
            if not accounts or id(anchor) in seen:
                continue
            seen.add(id(anchor))
            yield ctx.report(
                grant.entity,
                anchor,
                f"{grant.permissions[0]} is granted at {grant.scope} level to the default "
                f"service account {accounts[0].partition(':')[2]}",
                related=grant_related(grant),
            )
