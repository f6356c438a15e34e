from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.azure._iam import role_definition_grants
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule

# Actions that let a role define new roles or assign roles (privilege escalation).
_ESCALATING = (
    "microsoft.authorization/roledefinitions/write",
    "microsoft.authorization/roleassignments/write",
    "microsoft.authorization/*",
    "microsoft.authorization/*/write",
    "microsoft.authorization/roledefinitions/*",
    "microsoft.authorization/roleassignments/*",
)


class AzureIamCustomRoleCreation(Rule):
    id = "azure-iam-custom-role-creation"
    title = "Custom role can create roles or role assignments"
    severity = Severity.MEDIUM
    rationale = (
        "Microsoft.Authorization/roleDefinitions/write and roleAssignments/write let a "
        "principal define a role with any permission and assign it to itself: whoever holds "
        "this custom role can escalate to Owner of its scope. (A role with every action, "
        '"*", is reported by azure-iam-custom-role-wildcard.)'
    )
    remediation = (
        "Remove the Microsoft.Authorization write actions from the role; leave role "
        "management to a few administrators, preferably through PIM."
    )
    links = (
        docs("role_definition", "actions"),
        "https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles",
    )
    aliases = (
        "AVD-AZU-0052",
        "AZU-0052",
        "azure-authorization-prevent-custom-role-creation",
    )
    bad_example = """
resource "azurerm_role_definition" "platform" {
  name  = "platform-admin"
  scope = data.azurerm_subscription.current.id

  permissions {
    actions = [
      "Microsoft.Resources/subscriptions/resourceGroups/*",
      "Microsoft.Authorization/roleDefinitions/write",
    ]
  }
}
"""
    good_example = """
resource "azurerm_role_definition" "platform" {
  name  = "platform-operator"
  scope = data.azurerm_subscription.current.id

  permissions {
    actions = [
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Authorization/roleAssignments/read",
    ]
  }
}
"""
    fix_description = "No automatic fix: removing the actions changes what the role can do."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for grant in role_definition_grants(ctx.module):
            found = [p for p in grant.permissions if p.strip().lower() in _ESCALATING]
            if found:
                yield ctx.report(
                    grant.entity,
                    grant.permission_anchor or grant.entity.block,
                    f"Custom role {grant.entity.address} can manage roles ({found[0]})",
                )
