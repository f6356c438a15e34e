from __future__ import annotations

import os
import re
from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.syntax import Attribute, ObjectExpr

LOCK_FILE = ".terraform.lock.hcl"
_ANY_VERSION = re.compile(r"^(?:>=?\s*v?0(?:\.0){0,2}|)$")


def admits_everything(constraint: str) -> bool:
    """True for "", ">= 0", "> 0.0.0"...: constraints that allow every release."""
    clauses = [c.strip() for c in constraint.split(",")]
    return all(_ANY_VERSION.match(c) for c in clauses)


def provider_block_versions(module: Module) -> set[str]:
    """Local names of providers whose (deprecated) provider block sets a version."""
    names: set[str] = set()
    for provider in module.providers:
        if provider.attr("version") is not None and provider.block.labels:
            names.add(provider.block.labels[0])
    return names


def has_lock_file(module: Module) -> bool:
    return os.path.isfile(os.path.join(module.directory, LOCK_FILE))


class ProviderVersionConstraint(Rule):
    id = "terraform-provider-version-constraint"
    title = "Required provider has no version constraint"
    severity = Severity.MEDIUM
    rationale = (
        "A required_providers entry without version lets terraform init -upgrade (and every "
        "init without a committed lock file) install any future release of the provider, "
        "including a new major version with breaking changes or a compromised build. "
        "Providers run with your cloud credentials."
    )
    remediation = (
        'Give every entry a version constraint: a pessimistic range in root modules ("~> '
        '5.40"), a minimum in shared modules (">= 5.0"). Commit .terraform.lock.hcl so that '
        "the exact version and its checksums are pinned."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/providers/requirements#version-constraints",
        "https://developer.hashicorp.com/terraform/language/files/dependency-lock",
    )
    aliases = ()
    bad_example = """
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}
"""
    good_example = """
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    random = "~> 3.6"
  }
}
"""
    fix_description = "No automatic fix: the constraint to use depends on the module's needs."

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        legacy = provider_block_versions(module)
        locked: bool | None = None
        for tf in module.terraform_blocks:
            for block in tf.block.blocks_of("required_providers"):
                for attr in block.attributes.values():
                    problem = self._problem(ctx, attr)
                    if problem is None or attr.name in legacy:
                        continue
                    if locked is None:
                        locked = has_lock_file(module)
                    severity = Severity.LOW if locked else self.severity
                    note = (
                        f" ({LOCK_FILE} pins the current version until the next init -upgrade)"
                        if locked
                        else ""
                    )
                    yield ctx.report(
                        tf,
                        attr.name_range,
                        f'required provider "{attr.name}" {problem}{note}',
                        severity=severity,
                        data={"provider": attr.name, "locked": locked},
                    )

    @staticmethod
    def _problem(ctx: Context, attr: Attribute) -> str | None:
        if isinstance(attr.value, ObjectExpr):
            item = attr.value.get("version")
            if item is None:
                return "has no version constraint: any release can be installed"
            value = ctx.value(item.value)
        else:
            value = ctx.value(attr.value)  # the legacy form: the string is the constraint
        if value is UNKNOWN or not isinstance(value, str):
            return None
        if admits_everything(value):
            return f'has a version constraint ("{value}") that admits every release'
        return None
