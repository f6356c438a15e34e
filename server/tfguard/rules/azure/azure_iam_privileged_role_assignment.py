from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.azure._iam import role_assignment_grants
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule

_ROLES = {
    "owner": "Owner",
    "contributor": "Contributor",
    "user access administrator": "User Access Administrator",
    "role based access control administrator": "Role Based Access Control Administrator",
}
_SCOPES = {"subscription": "the whole subscription", "management_group": "a management group"}


class AzureIamPrivilegedRoleAssignment(Rule):
    id = "azure-iam-privileged-role-assignment"
    title = (
        "Owner, Contributor or access-admin role granted at subscription or management-group scope"
    )
    severity = Severity.MEDIUM
    rationale = (
        "Owner and Contributor at subscription or management-group scope can change or "
        "delete every resource below it (Contributor can read every key and connection "
        "string); User Access Administrator and RBAC Administrator can grant themselves "
        "anything. A compromised identity holding such a role compromises the whole "
        "estate, so these grants should be rare, reviewed, and preferably eligible through "
        "PIM rather than permanent."
    )
    remediation = (
        "Grant a narrower built-in or custom role, at the resource group or resource that "
        "needs it; keep standing subscription-wide admin roles to break-glass accounts and "
        "make the others eligible assignments in Privileged Identity Management."
    )
    links = (
        docs("role_assignment"),
        "https://learn.microsoft.com/en-us/azure/role-based-access-control/best-practices",
    )
    aliases = ()
    bad_example = """
data "azurerm_subscription" "current" {}

resource "azurerm_role_assignment" "ci" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = azuread_service_principal.ci.object_id
}
"""
    good_example = """
resource "azurerm_role_assignment" "ci" {
  scope                = azurerm_resource_group.app.id
  role_definition_name = "Contributor"
  principal_id         = azuread_service_principal.ci.object_id
}

resource "azurerm_role_assignment" "readers" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Reader"
  principal_id         = var.auditors_group_id
}
"""
    fix_description = (
        "No automatic fix: the narrower role and scope depend on what the principal does."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for grant in role_assignment_grants(ctx.module):
            roles = [p for p in grant.permissions if p in _ROLES]
            if not roles or grant.scope not in _SCOPES:
                continue
            role = _ROLES[roles[0]]
            yield ctx.report(
                grant.entity,
                grant.permission_anchor or grant.entity.block,
                f"{grant.entity.address} grants {role} on {_SCOPES[grant.scope]}",
                severity=Severity.HIGH if roles[0] == "owner" else self.severity,
                data={"role": role, "scope": grant.scope},
            )
