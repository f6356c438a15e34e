from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.azure._iam import role_definition_grants
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule


class AzureIamCustomRoleWildcard(Rule):
    id = "azure-iam-custom-role-wildcard"
    title = "Custom role definition allows every action (*)"
    severity = Severity.HIGH
    rationale = (
        'A custom role whose actions include "*" grants every management operation on its '
        "assignable scopes, including role assignments: it is Owner under another name, "
        "invisible to reviews that look for the built-in Owner role."
    )
    remediation = (
        "List the specific actions the role needs (Microsoft.Compute/virtualMachines/start/"
        "action...), or use a built-in role."
    )
    links = (
        docs("role_definition", "actions"),
        "https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles",
    )
    aliases = (
        "CKV_AZURE_39",
        "AVD-AZU-0030",
        "AZU-0030",
        "azure-authorization-limit-role-actions",
    )
    bad_example = """
resource "azurerm_role_definition" "ops" {
  name  = "ops-everything"
  scope = data.azurerm_subscription.current.id

  permissions {
    actions     = ["*"]
    not_actions = []
  }
}
"""
    good_example = """
resource "azurerm_role_definition" "ops" {
  name  = "vm-operator"
  scope = data.azurerm_subscription.current.id

  permissions {
    actions = [
      "Microsoft.Compute/virtualMachines/start/action",
      "Microsoft.Compute/virtualMachines/restart/action",
      "Microsoft.Compute/virtualMachines/read",
    ]
  }
}
"""
    fix_description = "No automatic fix: only the author knows which actions the role needs."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for grant in role_definition_grants(ctx.module):
            if any(p.strip() == "*" for p in grant.permissions):
                yield ctx.report(
                    grant.entity,
                    grant.permission_anchor or grant.entity.block,
                    f'Custom role {grant.entity.address} allows every action ("*")',
                )
