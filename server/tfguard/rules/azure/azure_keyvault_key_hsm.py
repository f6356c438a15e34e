from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import Check


class AzureKeyvaultKeyHsm(Check):
    id = "azure-keyvault-key-hsm"
    title = "Key Vault key is software-protected rather than HSM-backed"
    severity = Severity.LOW
    rationale = (
        "Software-protected keys (key_type RSA or EC) are processed in Key Vault's software "
        "boundary; HSM-backed keys (RSA-HSM, EC-HSM) never leave FIPS 140 validated hardware "
        "security modules. Keys that protect customer data, disks or signing are usually "
        "required to be HSM-backed by compliance regimes (PCI DSS, FedRAMP High)."
    )
    remediation = (
        'Use key_type = "RSA-HSM" or "EC-HSM" (the Key Vault needs the premium sku) or a '
        "Managed HSM."
    )
    links = (
        docs("key_vault_key", "key_type"),
        "https://learn.microsoft.com/en-us/azure/key-vault/keys/about-keys",
    )
    aliases = ("CKV_AZURE_112",)
    bad_example = """
resource "azurerm_key_vault_key" "disks" {
  name            = "disks"
  key_vault_id    = azurerm_key_vault.main.id
  key_type        = "RSA"
  key_size        = 3072
  key_opts        = ["wrapKey", "unwrapKey"]
  expiration_date = "2027-12-31T00:00:00Z"
}
"""
    good_example = """
resource "azurerm_key_vault_key" "disks" {
  name            = "disks"
  key_vault_id    = azurerm_key_vault.main.id
  key_type        = "RSA-HSM"
  key_size        = 3072
  key_opts        = ["wrapKey", "unwrapKey"]
  expiration_date = "2027-12-31T00:00:00Z"
}
"""
    resource_types = ("azurerm_key_vault_key",)
    attribute = "key_type"
    condition = OneOf("RSA-HSM", "EC-HSM", "oct-HSM")
    message = "Key Vault key {address} is software-protected (key_type = {value})"
    fix_description = (
        "No automatic fix: changing key_type replaces the key and needs a premium vault."
    )
