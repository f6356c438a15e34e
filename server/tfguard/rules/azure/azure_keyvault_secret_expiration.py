from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Present
from tfguard.rules.kit.declarative import Check


class AzureKeyvaultSecretExpiration(Check):
    id = "azure-keyvault-secret-expiration"
    title = "Key Vault secret has no expiration date"
    severity = Severity.LOW
    rationale = (
        "Secrets (passwords, connection strings, API keys) without an expiration date are "
        "rarely rotated: a copy taken by a former employee, a leaked log or a compromised "
        "build stays valid forever. An expiry date lets Key Vault, Event Grid and Defender "
        "warn before the secret must be replaced."
    )
    remediation = "Set expiration_date (an RFC 3339 time) and rotate the secret before it."
    links = (
        docs("key_vault_secret", "expiration_date"),
        "https://learn.microsoft.com/en-us/azure/key-vault/secrets/tutorial-rotation",
    )
    aliases = (
        "CKV_AZURE_41",
        "AVD-AZU-0017",
        "AZU-0017",
        "azure-keyvault-ensure-secret-expiry",
    )
    bad_example = """
resource "azurerm_key_vault_secret" "db" {
  name         = "db-password"
  value        = random_password.db.result
  key_vault_id = azurerm_key_vault.main.id
  content_type = "password"
}
"""
    good_example = """
resource "azurerm_key_vault_secret" "db" {
  name            = "db-password"
  value           = random_password.db.result
  key_vault_id    = azurerm_key_vault.main.id
  content_type    = "password"
  expiration_date = "2026-06-30T00:00:00Z"
}
"""
    resource_types = ("azurerm_key_vault_secret",)
    attribute = "expiration_date"
    condition = Present()
    message = "Key Vault secret {address} never expires"
    missing_message = "Key Vault secret {address} never expires: no expiration_date"
    fix_description = "No automatic fix: the expiry date depends on the rotation schedule."
