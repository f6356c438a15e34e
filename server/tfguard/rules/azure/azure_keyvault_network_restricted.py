from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, attribute_at
from tfguard.module import Entity, Module
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, InsertBlock
from tfguard.rules.kit.fixing import is_literal
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool


class AzureKeyvaultNetworkRestricted(Check):
    id = "azure-keyvault-network-restricted"
    title = "Key Vault accepts requests from any network"
    severity = Severity.MEDIUM
    rationale = (
        "A vault with public network access and no network ACL denying by default answers "
        "every address on the internet. Its secrets are then one leaked token, client secret "
        "or over-broad access policy away from being read from anywhere; a default-deny ACL "
        "or a private endpoint limits that to the networks that need the vault."
    )
    remediation = (
        'Add network_acls { default_action = "Deny" bypass = "AzureServices" } listing the '
        "allowed subnets and addresses, or set public_network_access_enabled = false and use "
        "a private endpoint."
    )
    links = (
        docs("key_vault", "network_acls"),
        "https://learn.microsoft.com/en-us/azure/key-vault/general/network-security",
    )
    aliases = (
        "CKV_AZURE_109",
        "CKV_AZURE_189",
        "AVD-AZU-0013",
        "AZU-0013",
        "azure-keyvault-specify-network-acl",
    )
    bad_example = """
resource "azurerm_key_vault" "main" {
  name                = "kv-contoso-prod"
  location            = "westeurope"
  resource_group_name = "rg-security"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
  purge_protection_enabled = true

  network_acls {
    default_action = "Allow"
    bypass         = "AzureServices"
  }
}
"""
    good_example = """
resource "azurerm_key_vault" "main" {
  name                = "kv-contoso-prod"
  location            = "westeurope"
  resource_group_name = "rg-security"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
  purge_protection_enabled = true

  network_acls {
    default_action             = "Deny"
    bypass                     = "AzureServices"
    virtual_network_subnet_ids = [azurerm_subnet.app.id]
  }
}

resource "azurerm_key_vault" "private" {
  name                          = "kv-contoso-private"
  location                      = "westeurope"
  resource_group_name           = "rg-security"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  purge_protection_enabled      = true
  public_network_access_enabled = false
}
"""
    resource_types = ("azurerm_key_vault",)
    attribute = "network_acls.default_action"
    condition = Equals("Deny", ignore_case=True)
    message = "Key Vault {address} accepts requests from any network ({attribute} = {value})"
    missing_message = (
        "Key Vault {address} accepts requests from any network: public network access is on "
        "and no network_acls block denies by default"
    )
    fix = InsertBlock(
        'network_acls {\n  default_action = "Deny"\n  bypass         = "AzureServices"\n}',
        "Deny other networks by default",
        "unsafe",
        consequence="clients outside the listed networks lose access",
    )
    fix_description = (
        'Adds network_acls { default_action = "Deny", bypass = "AzureServices" } when the '
        "block is missing. Unsafe: clients outside the listed networks (Terraform "
        "itself included) lose access to the vault's data."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        # azurerm 3.x and 4.x: public_network_access_enabled defaults to true.
        return [
            e
            for e in live(module, *self.resource_types)
            if as_bool(module.attr_value(e, "public_network_access_enabled", True)) is True
        ]

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        at = attribute_at(module, finding)
        if at is None:
            return super().fixes(finding, module)
        entity, _, attr = at
        if not is_literal(attr):
            return []
        edit = Editor(module).replace_value(entity, attr, '"Deny"')
        title = 'Set default_action = "Deny"'
        return [Fix(title, (edit,), "unsafe", "clients outside the listed networks lose access")]
