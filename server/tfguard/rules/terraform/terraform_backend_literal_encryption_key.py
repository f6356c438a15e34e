from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._common import all_stores, constant_string

# Backend arguments that take the raw key that encrypts the state object.
ENCRYPTION_KEYS: dict[str, tuple[str, ...]] = {
    "gcs": ("encryption_key",),
    "s3": ("sse_customer_key",),
}


class BackendLiteralEncryptionKey(Rule):
    id = "terraform-backend-literal-encryption-key"
    title = "State encryption key written in the backend configuration"
    severity = Severity.HIGH
    rationale = (
        "The gcs backend's encryption_key and the s3 backend's sse_customer_key are the raw "
        "AES keys that encrypt the state object. Written in the configuration they are "
        "committed next to the bucket name, so anyone who can read the repository and the "
        "bucket can decrypt the state, and the key cannot be rotated without a commit."
    )
    remediation = (
        "Remove the key from the configuration and rotate it (re-encrypt the state). Prefer a "
        "KMS key (kms_encryption_key for gcs, kms_key_id for s3); if a customer-supplied key "
        "is required, pass it through GOOGLE_ENCRYPTION_KEY or AWS_SSE_CUSTOMER_KEY from a "
        "secret store."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/backend/gcs#encryption_key",
        "https://developer.hashicorp.com/terraform/language/backend/s3#sse_customer_key",
    )
    aliases = ()
    bad_example = """
terraform {
  backend "gcs" {
    bucket         = "acme-tf-state"
    prefix         = "network"
    encryption_key = "c2VjcmV0LWtleS1ub3QtcmVhbC1ub3QtcmVhbC0xMjM="
  }
}
"""
    good_example = """
terraform {
  backend "gcs" {
    bucket             = "acme-tf-state"
    prefix             = "network"
    kms_encryption_key = "projects/acme/locations/europe/keyRings/tf/cryptoKeys/state"
  }
}
"""
    fix_description = (
        "No automatic fix: backend blocks cannot read variables, so the key can only move to "
        "-backend-config or the environment; and removing it before the state is "
        "re-encrypted (or the key rotated) locks you out of the state."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for store in all_stores(ctx.module):
            if store.kind not in ("backend", "remote_state"):
                continue
            for name in ENCRYPTION_KEYS.get(store.type, ()):
                setting = store.get(name)
                if setting is None:
                    continue
                text = constant_string(setting.expr)
                if not text or not text.strip():
                    continue
                yield ctx.report(
                    store.entity,
                    setting.anchor,
                    f"{store.label} writes the state encryption key ({name}) in the "
                    "configuration: whoever reads the repository can decrypt the state",
                    data={"argument": name, "storeType": store.type},
                )
