from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._iam import (
    grant_related,
    hierarchy_grants,
    is_identity,
    is_primitive_role,
)


class GoogleIamNoPrimitiveRoles(Rule):
    id = "google-iam-no-primitive-roles"
    title = "Owner or Editor role granted on a project, folder or organization"
    severity = Severity.HIGH
    rationale = (
        "roles/owner and roles/editor are the primitive roles: Editor can change almost every "
        "resource of every service, Owner can also rewrite IAM. Granted at project, folder "
        "or organization level to a person, group or service account, one phished account "
        "or leaked service-account key compromises everything below it, and nobody can say "
        "which permissions the grantee actually needs. Google's own service agents are not "
        "reported."
    )
    remediation = (
        "Replace the grant with predefined roles for the services the principal uses (for "
        "example roles/storage.objectAdmin on one bucket), or a custom role; keep Owner to "
        "a break-glass group."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_iam",
        "https://cloud.google.com/iam/docs/understanding-roles#basic",
    )
    aliases = ("CKV_GCP_117", "CKV_GCP_116", "CKV_GCP_115")
    bad_example = """
resource "google_project_iam_member" "ci" {
  project = "shop-prod-4a1c"
  role    = "roles/editor"
  member  = "serviceAccount:ci@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    good_example = """
resource "google_project_iam_member" "ci" {
  project = "shop-prod-4a1c"
  role    = "roles/run.developer"
  member  = "serviceAccount:ci@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    fix_description = (
        "No automatic fix: which predefined roles replace Owner or Editor depends on what "
        "the principal does."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[int] = set()
        for grant in hierarchy_grants(ctx.module):
            roles = [r for r in grant.permissions if is_primitive_role(r)]
            principals = [p for p in grant.principals if is_identity(p)]
            anchor = grant.permission_anchor or grant.entity.block
            if not roles or not principals or id(anchor) in seen:
                continue
            seen.add(id(anchor))
            yield ctx.report(
                grant.entity,
                anchor,
                f"{roles[0]} is granted at {grant.scope} level to {', '.join(principals)}",
                related=grant_related(grant),
            )
