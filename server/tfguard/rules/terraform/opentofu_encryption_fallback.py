from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._common import method_uses


class OpenTofuEncryptionFallback(Rule):
    id = "opentofu-encryption-fallback"
    title = "OpenTofu encryption keeps a key-rollover fallback"
    severity = Severity.LOW
    rationale = (
        "A fallback block lets OpenTofu decrypt state or plan files with the previous method "
        "and key. It is needed for one apply during a key or method rollover; left in place, "
        "the retired key (a leaked passphrase, a KMS key scheduled for deletion) still opens "
        "and is still trusted for files written by anyone who holds it."
    )
    remediation = (
        "After tofu apply has re-written the state with the new method (and any saved plans "
        "are applied or discarded), delete the fallback block and the old method and key "
        "provider, then retire the old key."
    )
    links = ("https://opentofu.org/docs/language/state/encryption/#key-and-method-rollover",)
    aliases = ()
    bad_example = """
terraform {
  encryption {
    key_provider "aws_kms" "current" {
      kms_key_id = "alias/tofu-state-2025"
      region     = "eu-west-1"
      key_spec   = "AES_256"
    }
    key_provider "aws_kms" "previous" {
      kms_key_id = "alias/tofu-state-2024"
      region     = "eu-west-1"
      key_spec   = "AES_256"
    }
    method "aes_gcm" "current" {
      keys = key_provider.aws_kms.current
    }
    method "aes_gcm" "previous" {
      keys = key_provider.aws_kms.previous
    }

    state {
      method   = method.aes_gcm.current
      enforced = true
      fallback {
        method = method.aes_gcm.previous
      }
    }
    plan {
      method   = method.aes_gcm.current
      enforced = true
    }
  }
}
"""
    good_example = """
terraform {
  encryption {
    key_provider "aws_kms" "current" {
      kms_key_id = "alias/tofu-state-2025"
      region     = "eu-west-1"
      key_spec   = "AES_256"
    }
    method "aes_gcm" "current" {
      keys = key_provider.aws_kms.current
    }

    state {
      method   = method.aes_gcm.current
      enforced = true
    }
    plan {
      method   = method.aes_gcm.current
      enforced = true
    }
  }
}
"""
    fix_description = (
        "No automatic fix: only you know whether the rollover apply has run everywhere."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for use in method_uses(ctx.module):
            if not use.in_fallback or use.method_type == "unencrypted":
                continue  # opentofu-encryption-unencrypted reports those
            name = (
                f"method.{use.method_type}.{use.method_name}"
                if use.method_type is not None
                else use.attribute.value.text
            )
            yield ctx.report(
                use.entity,
                use.block,
                f"the {use.target} encryption still falls back to {name}: the previous key "
                "keeps decrypting; remove the fallback once the rollover apply has run",
                data={"target": use.target},
            )
