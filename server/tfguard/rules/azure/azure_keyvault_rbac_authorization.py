from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import Equals


class AzureKeyvaultRbacAuthorization(AliasedCheck):
    id = "azure-keyvault-rbac-authorization"
    title = "Key Vault uses access policies instead of Azure RBAC"
    severity = Severity.LOW
    rationale = (
        "Vault access policies are all-or-nothing per vault, are managed by anyone with "
        "Contributor on the vault (who can grant themselves every secret), and cannot be "
        "scoped to one secret or protected by Privileged Identity Management. Azure RBAC "
        "authorization separates managing the vault from reading its data and is what "
        "Microsoft recommends."
    )
    remediation = (
        "Set rbac_authorization_enabled = true (enable_rbac_authorization in azurerm 3.x) "
        "and replace the access policies with Key Vault role assignments (Key Vault Secrets "
        "User, Crypto User...) at the narrowest scope."
    )
    links = (
        docs("key_vault", "rbac_authorization_enabled"),
        "https://learn.microsoft.com/en-us/azure/key-vault/general/rbac-migration",
    )
    aliases = ()
    bad_example = """
resource "azurerm_key_vault" "main" {
  name                = "kv-contoso-prod"
  location            = "westeurope"
  resource_group_name = "rg-security"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
  purge_protection_enabled = true
}
"""
    good_example = """
resource "azurerm_key_vault" "main" {
  name                = "kv-contoso-prod"
  location            = "westeurope"
  resource_group_name = "rg-security"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
  purge_protection_enabled  = true
  enable_rbac_authorization = true
}
"""
    resource_types = ("azurerm_key_vault",)
    attributes = ("rbac_authorization_enabled", "enable_rbac_authorization")
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    message = (
        "Key Vault {address} authorizes data access with access policies ({attribute} = {value})"
    )
    missing_message = (
        "Key Vault {address} authorizes data access with access policies: RBAC "
        "authorization is off by default"
    )
    fix_description = (
        "No automatic fix: switching to RBAC makes every access policy ineffective, so role "
        "assignments must be created first."
    )
