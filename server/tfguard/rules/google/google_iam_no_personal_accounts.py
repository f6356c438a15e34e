from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._iam import google_grants, grant_related, member_kind

_PERSONAL_DOMAINS = ("@gmail.com", "@googlemail.com")


class GoogleIamNoPersonalAccounts(Rule):
    id = "google-iam-no-personal-accounts"
    title = "IAM role granted to a personal Gmail account"
    severity = Severity.LOW
    rationale = (
        "A gmail.com account is outside the organization's identity management: it cannot be "
        "forced to use 2-step verification or security keys, it is not disabled when the "
        "person leaves, and its recovery is in the owner's hands alone. Access granted to "
        "it stays with the person, wherever they go."
    )
    remediation = (
        "Grant the role to the person's Cloud Identity or Workspace account, preferably "
        "through a group, and remove the Gmail member."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_iam",
        "https://cloud.google.com/resource-manager/docs/organization-policy/restricting-domains",
    )
    aliases = (
        "AVD-GCP-0069",
        "GCP-0069",
        "google-iam-no-personal-emails",
    )
    bad_example = """
resource "google_project_iam_member" "contractor" {
  project = "shop-prod-4a1c"
  role    = "roles/viewer"
  member  = "user:jane.doe@gmail.com"
}
"""
    good_example = """
resource "google_project_iam_member" "contractor" {
  project = "shop-prod-4a1c"
  role    = "roles/viewer"
  member  = "group:contractors@example.com"
}
"""
    fix_description = "No automatic fix: the person needs an organization account first."

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[int] = set()
        for grant in google_grants(ctx.module):
            personal = [
                p
                for p in grant.principals
                if member_kind(p) == "user" and p.lower().endswith(_PERSONAL_DOMAINS)
            ]
            anchor = grant.principal_anchor or grant.entity.block
            if not personal or id(anchor) in seen:
                continue
            seen.add(id(anchor))
            role = grant.permissions[0] if grant.permissions else "a role"
            yield ctx.report(
                grant.entity,
                anchor,
                f"{role} is granted to the personal account {personal[0].partition(':')[2]}",
                related=grant_related(grant),
            )
