from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._common import method_uses


class OpenTofuEncryptionUnencrypted(Rule):
    id = "opentofu-encryption-unencrypted"
    title = "OpenTofu state or plan encryption uses the unencrypted method"
    severity = Severity.HIGH
    rationale = (
        'The "unencrypted" method exists only to migrate into or out of encryption. As the '
        "method of state or plan it writes the secrets in the state in clear text; as a "
        "fallback it makes OpenTofu accept an unencrypted file, so anyone who can write the "
        "backend can replace the state with a forged plain-text one that the next apply "
        "trusts."
    )
    remediation = (
        "Point state and plan at an encrypting method (aes_gcm with a KMS or pbkdf2 key "
        "provider). Once tofu apply has re-written the state encrypted, delete the fallback "
        'that names method.unencrypted and the method "unencrypted" block, and set '
        "enforced = true."
    )
    links = (
        "https://opentofu.org/docs/language/state/encryption/#initial-setup",
        "https://opentofu.org/docs/language/state/encryption/#unencrypted",
    )
    aliases = ()
    bad_example = """
terraform {
  encryption {
    key_provider "aws_kms" "state" {
      kms_key_id = "alias/tofu-state"
      region     = "eu-west-1"
      key_spec   = "AES_256"
    }
    method "aes_gcm" "state" {
      keys = key_provider.aws_kms.state
    }
    method "unencrypted" "migrate" {}

    state {
      method = method.aes_gcm.state
      fallback {
        method = method.unencrypted.migrate
      }
    }
    plan {
      method   = method.aes_gcm.state
      enforced = true
    }
  }
}
"""
    good_example = """
terraform {
  encryption {
    key_provider "aws_kms" "state" {
      kms_key_id = "alias/tofu-state"
      region     = "eu-west-1"
      key_spec   = "AES_256"
    }
    method "aes_gcm" "state" {
      keys = key_provider.aws_kms.state
    }

    state {
      method   = method.aes_gcm.state
      enforced = true
    }
    plan {
      method   = method.aes_gcm.state
      enforced = true
    }
  }
}
"""
    fix_description = (
        "No automatic fix: a fallback may only go once an apply has re-written the state "
        "encrypted, which tfguard cannot see, and the main method needs a key provider."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for use in method_uses(ctx.module):
            if use.method_type != "unencrypted":
                continue
            name = f"method.unencrypted.{use.method_name}"
            if use.in_fallback:
                yield ctx.report(
                    use.entity,
                    use.block,
                    f"the {use.target} encryption keeps a fallback to {name}: OpenTofu still "
                    f"accepts an unencrypted, possibly forged {use.target} file; remove it once "
                    "the migration apply has run",
                    severity=Severity.MEDIUM,
                    data={"target": use.target, "fallback": True},
                )
            else:
                yield ctx.report(
                    use.entity,
                    use.attribute,
                    f"the {use.target} encryption uses {name}: {use.target} files are written "
                    "in clear text",
                    data={"target": use.target, "fallback": False},
                )
