from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_number, as_string

MIN_RSA_BITS = 3072
# NIST curves; P-256K (secp256k1) is not approved for US federal use (FIPS 186-5).
APPROVED_CURVES = frozenset({"P-256", "P-384", "P-521"})


class AzureKeyvaultKeyStrength(Rule):
    id = "azure-keyvault-key-strength"
    title = "Key Vault key is weaker than current guidance (RSA below 3072 bits, non-NIST curve)"
    severity = Severity.LOW
    rationale = (
        "NIST SP 800-57 rates 2048-bit RSA at 112 bits of security, acceptable only until "
        "2030; keys created today often protect data (or sign artefacts) for longer. 3072-bit "
        "RSA or a P-256/P-384 elliptic curve gives 128 bits or more. The secp256k1 curve "
        "(P-256K) is not a NIST curve and is not FIPS-approved."
    )
    remediation = (
        'Create RSA keys with key_size = 3072 or 4096, or use key_type = "EC" / "EC-HSM" with '
        'curve = "P-256", "P-384" or "P-521". A new key size means a new key: rotate data and '
        "consumers to it."
    )
    links = (
        docs("key_vault_key", "key_size"),
        "https://learn.microsoft.com/en-us/azure/key-vault/keys/about-keys",
        "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
    )
    aliases = ()
    bad_example = """
resource "azurerm_key_vault_key" "signing" {
  name            = "signing"
  key_vault_id    = azurerm_key_vault.main.id
  key_type        = "RSA"
  key_size        = 2048
  key_opts        = ["sign", "verify"]
  expiration_date = "2027-12-31T00:00:00Z"
}
"""
    good_example = """
resource "azurerm_key_vault_key" "signing" {
  name            = "signing"
  key_vault_id    = azurerm_key_vault.main.id
  key_type        = "RSA-HSM"
  key_size        = 4096
  key_opts        = ["sign", "verify"]
  expiration_date = "2027-12-31T00:00:00Z"
}

resource "azurerm_key_vault_key" "ec" {
  name            = "ec"
  key_vault_id    = azurerm_key_vault.main.id
  key_type        = "EC"
  curve           = "P-384"
  key_opts        = ["sign", "verify"]
  expiration_date = "2027-12-31T00:00:00Z"
}
"""
    fix_description = (
        "No automatic fix: changing the size or curve replaces the key, and data encrypted "
        "or signed with the old one must be migrated."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for key in live(module, "azurerm_key_vault_key"):
            kind = as_string(module.attr_value(key, "key_type"))
            if not isinstance(kind, str):
                continue
            if kind.upper().startswith("RSA"):
                attr = key.attr("key_size")
                if attr is None:
                    continue  # required for RSA keys
                size = as_number(module.cached_value(attr.value))
                if size is not UNKNOWN and size < MIN_RSA_BITS:
                    yield ctx.report(
                        key,
                        attr,
                        f"Key Vault key {key.address} is a {size}-bit RSA key: use at least "
                        f"{MIN_RSA_BITS} bits",
                    )
            elif kind.upper().startswith("EC"):
                attr = key.attr("curve")
                if attr is None:
                    continue  # Azure picks P-256
                curve = as_string(module.cached_value(attr.value))
                if isinstance(curve, str) and curve.upper() not in APPROVED_CURVES:
                    yield ctx.report(
                        key,
                        attr,
                        f"Key Vault key {key.address} uses the curve {curve}, which is not a "
                        "NIST curve: use P-256, P-384 or P-521",
                    )
