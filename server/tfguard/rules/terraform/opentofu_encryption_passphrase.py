from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._common import constant_string, key_provider_stores
from tfguard.syntax import Expr, Reference

MIN_PASSPHRASE = 16


def committed_source(module: Module, expr: Expr) -> str | None:
    """Where a value written in the code feeds ``expr``: ``local.x`` holding a literal, or
    ``var.x`` with a literal default that no tfvars file overrides; else None."""
    if not isinstance(expr, Reference) or len(expr.steps) != 2:
        return None
    name = expr.steps[1]
    if expr.root == "local" and isinstance(name, str) and name in module.locals:
        local = module.locals[name]
        return f"local.{name}" if constant_string(local.attribute.value) else None
    if expr.root != "var":
        return None
    if not isinstance(name, str) or name not in module.variables:
        return None
    if name in module.tfvars or any(name in data for data in module.json_tfvars.values()):
        return None
    default = module.variables[name].attr("default")
    if default is None or not constant_string(default.value):
        return None
    return f"the default of var.{name}"


class OpenTofuEncryptionPassphrase(Rule):
    id = "opentofu-encryption-passphrase"
    title = "OpenTofu pbkdf2 passphrase is written in the code or too short"
    severity = Severity.HIGH
    rationale = (
        "The pbkdf2 passphrase is the only secret between the encrypted state and its "
        "contents. Written in the configuration (or as a variable default) it is committed "
        "next to the encrypted state it protects, which defeats the encryption for anyone "
        "with read access to the repository. OpenTofu requires at least 16 characters; a "
        "short passphrase can be brute-forced."
    )
    remediation = (
        "Declare the passphrase as a sensitive variable without default and supply it from a "
        "secret store at run time (TF_VAR_..., or the whole key provider through "
        "TF_ENCRYPTION), use a long random value (32 characters or more), and rotate it with "
        "a fallback block if it was ever committed. A KMS key provider avoids the shared "
        "passphrase entirely."
    )
    links = (
        "https://opentofu.org/docs/language/state/encryption/#pbkdf2",
        "https://opentofu.org/docs/language/state/encryption/#key-and-method-rollover",
    )
    aliases = ()
    bad_example = """
terraform {
  encryption {
    key_provider "pbkdf2" "state" {
      passphrase = "correct-horse-battery-staple"
    }
    method "aes_gcm" "state" {
      keys = key_provider.pbkdf2.state
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
    good_example = """
variable "state_passphrase" {
  type      = string
  sensitive = true
}

terraform {
  encryption {
    key_provider "pbkdf2" "state" {
      passphrase = var.state_passphrase
    }
    method "aes_gcm" "state" {
      keys = key_provider.pbkdf2.state
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
        "No automatic fix: the passphrase must be rotated (with a fallback block) and "
        "supplied at run time."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for store in key_provider_stores(ctx.module):
            if store.type != "pbkdf2":
                continue
            setting = store.get("passphrase")
            if setting is None:
                continue
            provider = store.block.labels[-1] if store.block is not None else "?"
            literal = constant_string(setting.expr)
            source = None if literal is not None else committed_source(ctx.module, setting.expr)
            value = literal if literal is not None else ctx.value(setting.expr)
            short = isinstance(value, str) and len(value) < MIN_PASSPHRASE
            problems: list[str] = []
            if literal is not None:
                problems.append("is written in the configuration")
            elif source is not None:
                problems.append(f"is written in the code ({source})")
            if short:
                problems.append(
                    f"is {len(value)} characters long (OpenTofu requires {MIN_PASSPHRASE}; "
                    "use 32 or more random characters)"
                )
            if not problems:
                continue
            yield ctx.report(
                store.entity,
                setting.anchor,
                f'the passphrase of key_provider "pbkdf2" "{provider}" ' + " and ".join(problems),
                severity=self.severity,
                data={
                    "literal": literal is not None,
                    "source": source,
                    "short": short,
                },
            )
