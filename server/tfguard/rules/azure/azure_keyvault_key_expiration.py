from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Present
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live


class AzureKeyvaultKeyExpiration(Check):
    id = "azure-keyvault-key-expiration"
    title = "Key Vault key has no expiration date"
    severity = Severity.MEDIUM
    rationale = (
        "A key without an expiration date (and without a rotation policy that sets one) is "
        "used indefinitely: its material is never retired, so ciphertext and signatures keep "
        "depending on it however long it has been exposed to applications, backups and "
        "administrators. An expiry forces rotation to be planned."
    )
    remediation = (
        "Set expiration_date (an RFC 3339 time), or add a rotation_policy with expire_after "
        "and automatic rotation, so the key is rotated before it expires."
    )
    links = (
        docs("key_vault_key", "expiration_date"),
        "https://learn.microsoft.com/en-us/azure/key-vault/keys/how-to-configure-key-rotation",
    )
    aliases = (
        "CKV_AZURE_40",
        "AVD-AZU-0014",
        "AZU-0014",
        "azure-keyvault-ensure-key-expiry",
    )
    bad_example = """
resource "azurerm_key_vault_key" "storage" {
  name         = "storage-cmk"
  key_vault_id = azurerm_key_vault.main.id
  key_type     = "RSA-HSM"
  key_size     = 3072
  key_opts     = ["wrapKey", "unwrapKey"]
}
"""
    good_example = """
resource "azurerm_key_vault_key" "storage" {
  name            = "storage-cmk"
  key_vault_id    = azurerm_key_vault.main.id
  key_type        = "RSA-HSM"
  key_size        = 3072
  key_opts        = ["wrapKey", "unwrapKey"]
  expiration_date = "2027-12-31T00:00:00Z"
}

resource "azurerm_key_vault_key" "signing" {
  name         = "signing"
  key_vault_id = azurerm_key_vault.main.id
  key_type     = "EC-HSM"
  curve        = "P-384"
  key_opts     = ["sign", "verify"]

  rotation_policy {
    expire_after         = "P1Y"
    notify_before_expiry = "P30D"

    automatic {
      time_before_expiry = "P30D"
    }
  }
}
"""
    resource_types = ("azurerm_key_vault_key",)
    attribute = "expiration_date"
    condition = Present()
    message = "Key Vault key {address} never expires"
    missing_message = "Key Vault key {address} never expires: no expiration_date"
    fix_description = "No automatic fix: the expiry date depends on the key's rotation schedule."

    def subjects(self, module: Module) -> Iterable[Entity]:
        # A rotation policy with expire_after sets the expiry on each version.
        return [
            e
            for e in live(module, *self.resource_types)
            if not any(h.present for h in lookup(module, e, "rotation_policy.expire_after"))
        ]
