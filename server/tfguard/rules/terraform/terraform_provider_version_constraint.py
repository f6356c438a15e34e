from __future__ import annotations

import re
from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Range, Severity
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.editing import (
    line_after,
    name_column,
    on_own_lines,
    pessimistic,
    plain_string,
    quoted,
    release,
    rename_padded,
)
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
    return module.project.is_file(LOCK_FILE)


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

# file: .terraform.lock.hcl
provider "registry.terraform.io/hashicorp/aws" {
  version = "5.80.0"
  hashes = [
    "h1:q4iJn5P5tbsVqqQ0Cr5vR2uFzMr3PQN9Ufu1Wnzbq5A=",
  ]
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
    fix_description = (
        'Sets version = "~> X.Y" from the version the dependency lock file selects (X.Y.Z; '
        '"~> 0.Y.Z" before 1.0), so the constraint admits what is installed today and its '
        "compatible updates. No fix without a lock file entry for the provider: the range "
        "to allow depends on the module's needs and on releases only the registry knows."
    )

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

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        tf = entity_for(module, finding)
        name = str(finding.data.get("provider"))
        attr = _entry_at(tf, finding) if tf is not None else None
        if tf is None or attr is None:
            return []
        source: str | None = f"hashicorp/{name}"
        value = attr.value
        if isinstance(value, ObjectExpr) and (item := value.get("source")) is not None:
            source = plain_string(item.value)
        locked = module.project.locked_version(source) if source else None
        version = release(locked) if locked is not None else None
        if version is None:
            return []
        constraint = quoted(pessimistic(version))
        editor = Editor(module)
        if not isinstance(value, ObjectExpr):
            edits = [editor.replace_value(tf, attr, constraint)]
        elif (current := value.get("version")) is not None:
            edits = [TextEdit(tf.path, tf.abs(current.value.range), constraint)]
        else:
            edits = _add_version(editor, tf, value, constraint)
        if not edits:
            return []
        return [
            Fix(
                f"Constrain {name} to {constraint} (the lock file selects {locked})",
                tuple(edits),
                applicability="safe",
            )
        ]


def _entry_at(tf: Entity, finding: Finding) -> Attribute | None:
    for block in tf.block.blocks_of("required_providers"):
        for attr in block.attributes.values():
            if tf.abs(attr.name_range) == finding.range:
                return attr
    return None


def _add_version(editor: Editor, tf: Entity, obj: ObjectExpr, constraint: str) -> list[TextEdit]:
    """``version = ...`` as a new item of a provider requirement object."""
    r = tf.abs(obj.range)
    if not obj.items:
        return [TextEdit(tf.path, r, f"{{ version = {constraint} }}")]
    last = max(obj.items, key=lambda i: i.range.start)
    end = tf.abs(last.range).end
    if r.start.line == r.end.line:
        return [TextEdit(tf.path, Range(end, end), f", version = {constraint}")]
    if not on_own_lines(editor, tf, last):
        return []
    singles = [i for i in obj.items if i.range.start.line == i.range.end.line]
    columns = [name_column(editor, tf, i.key.range) for i in singles]
    if len(singles) != len(obj.items) or any(c is None for c in columns):
        return [line_after(editor, tf, last, f"version = {constraint}")]
    width = max([len("version"), *(c for c in columns if c is not None)])
    edits = [line_after(editor, tf, last, f"{'version'.ljust(width)} = {constraint}")]
    for item, column in zip(singles, columns, strict=True):
        if column is not None and column < width:
            edits.append(rename_padded(editor, tf, item.key.range, item.key.text, width))
    return edits
