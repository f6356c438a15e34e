from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class AzureKeyvaultSecretContentType(Check):
    id = "azure-keyvault-secret-content-type"
    title = "Key Vault secret does not say what it holds (no content_type)"
    severity = Severity.LOW
    rationale = (
        "content_type tells people and tools what a secret is (a password, a connection "
        "string, a PEM certificate) without reading its value. Without it, reviews and "
        "rotation runbooks cannot tell which secrets need which handling, and secrets get "
        "read just to find out what they are, which shows up as noise in the audit log."
    )
    remediation = 'Set content_type (for example "password" or "connection-string").'
    links = (
        docs("key_vault_secret", "content_type"),
        "https://learn.microsoft.com/en-us/azure/key-vault/secrets/about-secrets",
    )
    aliases = (
        "CKV_AZURE_114",
        "AVD-AZU-0015",
        "AZU-0015",
        "azure-keyvault-content-type-for-secret",
    )
    bad_example = """
resource "azurerm_key_vault_secret" "db" {
  name            = "db-password"
  value           = random_password.db.result
  key_vault_id    = azurerm_key_vault.main.id
  expiration_date = "2026-06-30T00:00:00Z"
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
    attribute = "content_type"
    condition = NotEmpty()
    message = "Key Vault secret {address} has an empty content_type"
    missing_message = "Key Vault secret {address} has no content_type"
    fix_description = "No automatic fix: only the author knows what the secret holds."
