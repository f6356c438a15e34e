"""Moving a secret argument to its write-only twin, for the fixes of
aws-secret-argument-write-only and terraform-random-password-not-ephemeral (no rule lives here).

Two edits are shared. *To write-only*: ``password = X`` becomes ``password_wo = X`` with
``password_wo_version = 1`` beside it and a comment saying what the change does. *To
ephemeral*: a ``resource "random_password"`` whose result only feeds write-only-capable
arguments becomes an ``ephemeral "random_password"`` and every reference to it is re-pointed;
this is offered only when every consumer receives the new value in the same apply (all plain
arguments that become write-only) or none does (all already write-only with a version), so
that no two resources end up with different passwords.
"""

from __future__ import annotations

from dataclasses import dataclass

from tfguard.findings import Range
from tfguard.fixes import Editor, TextEdit
from tfguard.module import Entity, Module
from tfguard.rules.kit.editing import (
    attribute_holding,
    comment_above,
    line_after,
    name_column,
    on_own_lines,
    release,
    rename_padded,
)
from tfguard.syntax import Attribute, ObjectExpr, Reference
from tfguard.versions import admits
from tfguard.writeonly import WriteOnly, write_only_table

# Arguments of the ephemeral random_password (it has no keepers and no deprecated number).
EPHEMERAL_RANDOM_ARGUMENTS = frozenset(
    {
        "length",
        "lower",
        "upper",
        "numeric",
        "special",
        "min_lower",
        "min_upper",
        "min_numeric",
        "min_special",
        "override_special",
    }
)
EPHEMERAL_RANDOM_SINCE = (3, 7, 0)  # hashicorp/random release with ephemeral random_password
# hashicorp/aws release with the write-only arguments of the table (they were added together
# for Terraform 1.11).
AWS_WRITE_ONLY_SINCE = (5, 88, 0)
# Special characters every AWS database engine accepts in a master password (no / " @ ').
DATABASE_SPECIALS = "!#$%&*()-_=+[]{}<>:?"


# Meta-arguments that name an object without reading its values.
_ORDERING_ARGUMENTS = frozenset({"depends_on", "replace_triggered_by"})


def noun(spec: WriteOnly) -> str:
    return "password" if "password" in spec.argument else "value"


def same_value_comment(spec: WriteOnly) -> list[str]:
    return [
        "Write-only: kept out of the state (needs Terraform >= 1.11). On an existing resource",
        f"the next apply resets the {noun(spec)} (some AWS provider releases leave it empty):",
        f"check it afterwards, and bump {spec.version} to send this value again.",
    ]


def reset_comment(spec: WriteOnly, shared_with: list[str] | None = None) -> list[str]:
    head = [
        "Write-only, from an ephemeral password (needs Terraform >= 1.11). On an existing",
        f"resource the next apply RESETS the {noun(spec)} to a new random value kept in no",
    ]
    if shared_with:
        return [*head, f"state; {', '.join(shared_with)} gets the same value in that apply."]
    return [*head, "state: store it in the same run (secret_string_wo) or plan it with its users."]


def argument_is_read(module: Module, entity: Entity, name: str) -> bool:
    """Whether an expression of the module reads ``<entity>.<name>`` (renaming it would
    turn what it reads into null)."""
    skip = 3 if entity.kind in ("data", "ephemeral") else 2
    for holder, ref in module.referrers.get(entity.address, []):
        names = ref.names()
        if len(names) > skip and names[skip] != name:
            continue
        inner = attribute_holding(holder.block, ref)
        if inner is not None and inner.name in _ORDERING_ARGUMENTS:
            continue  # depends_on = [aws_db_instance.app] reads no value
        return True  # the whole object, or the argument itself
    return False


def to_write_only(
    editor: Editor,
    entity: Entity,
    attr: Attribute,
    spec: WriteOnly,
    comment: list[str],
    value: str | None = None,
) -> list[TextEdit] | None:
    """``argument = X`` → a comment, ``<argument>_wo = X`` (or ``value``) and
    ``<argument>_wo_version = 1``; None when the argument shares its line with other code."""
    if not on_own_lines(editor, entity, attr) or entity.attr(spec.write_only) is not None:
        return None
    add_version = entity.attr(spec.version) is None
    if add_version:
        width = max(len(spec.write_only), len(spec.version))
    else:
        width = max(len(spec.write_only), name_column(editor, entity, attr.name_range) or 0)
    start = entity.abs(attr.range).start.line
    edits = [
        comment_above(editor, entity, start, comment),
        rename_padded(editor, entity, attr.name_range, spec.write_only, width),
    ]
    if value is not None:
        edits.append(editor.replace_value(entity, attr, value))
    if add_version:
        edits.append(line_after(editor, entity, attr, f"{spec.version.ljust(width)} = 1"))
    return edits


def _provider_entry(module: Module, local_name: str, source: str) -> list[str]:
    """Version constraints written for a provider in required_providers."""
    out: list[str] = []
    for tf in module.terraform_blocks:
        for block in tf.block.blocks_of("required_providers"):
            for attr in block.attributes.values():
                value = attr.value
                if isinstance(value, ObjectExpr):
                    src = value.get("source")
                    src_value = module.cached_value(src.value) if src is not None else None
                    matches = (
                        isinstance(src_value, str)
                        and src_value.lower().split("/")[-2:] == source.split("/")
                    ) or (src is None and attr.name == local_name)
                    version = value.get("version")
                    if matches and version is not None:
                        constraint = module.cached_value(version.value)
                        if isinstance(constraint, str):
                            out.append(constraint)
                elif attr.name == local_name:
                    constraint = module.cached_value(value)
                    if isinstance(constraint, str):
                        out.append(constraint)
    return out


def _provider_allows(module: Module, name: str, since: tuple[int, int, int]) -> bool:
    """Whether the module's constraints admit, and its lock file selects, a release of the
    hashicorp/<name> provider at or after ``since`` (unknown counts as yes)."""
    at_least = ".".join(map(str, since))
    for constraint in _provider_entry(module, name, f"hashicorp/{name}"):
        if admits(constraint, at_least=at_least) is False:
            return False
    locked = module.project.locked_version(f"hashicorp/{name}")
    if locked is not None:
        version = release(locked)
        if version is None or version < since:
            return False
    return True


def random_supports_ephemeral(module: Module) -> bool:
    """Whether the random provider offers the ephemeral random_password."""
    return _provider_allows(module, "random", EPHEMERAL_RANDOM_SINCE)


def aws_supports_write_only(module: Module) -> bool:
    """Whether the AWS provider has the write-only arguments."""
    return _provider_allows(module, "aws", AWS_WRITE_ONLY_SINCE)


def unique_ephemeral_name(module: Module, base: str) -> str:
    name, n = base, 2
    while f"ephemeral.random_password.{name}" in module.resources:
        name, n = f"{base}_{n}", n + 1
    return name


@dataclass(slots=True)
class Consumer:
    entity: Entity
    attr: Attribute
    spec: WriteOnly
    refs: list[Reference]


@dataclass(slots=True)
class Migration:
    generator: Entity
    consumers: list[Consumer]
    plain: bool  # every consumer uses the argument kept in state (else all are write-only)


def _consumer_spec(entity: Entity, ref: Reference) -> tuple[Attribute, WriteOnly] | None:
    for spec in write_only_table().get(entity.type, {}).values():
        for name in (spec.argument, spec.write_only):
            attr = entity.attr(name)
            if attr is not None and any(n is ref for n in attr.value.walk()):
                return attr, spec
    return None


def ephemeral_migration(module: Module, generator: Entity) -> Migration | None:
    """How to turn a ``resource "random_password"`` ephemeral, or None when that could break
    something: an argument the ephemeral form lacks (keepers), a nested block, a reader that
    is not a write-only-capable argument (an output, a local, depends_on, another resource),
    or consumers that would not all receive the same password."""
    if generator.kind != "resource" or generator.type != "random_password":
        return None
    block = generator.block
    if block.blocks or set(block.attributes) - EPHEMERAL_RANDOM_ARGUMENTS:
        return None
    expected = ("random_password", generator.name, "result")
    consumers: list[Consumer] = []
    for holder, ref in module.referrers.get(generator.address, []):
        if tuple(ref.steps) != expected or holder.kind != "resource":
            return None
        found = _consumer_spec(holder, ref)
        if found is None:
            return None
        attr, spec = found
        for consumer in consumers:
            if consumer.attr is attr:
                consumer.refs.append(ref)
                break
        else:
            consumers.append(Consumer(holder, attr, spec, [ref]))
    if not consumers:
        return None
    plain = [c for c in consumers if c.attr.name == c.spec.argument]
    if plain and len(plain) != len(consumers):
        return None  # some would get the new password on the next apply, others not
    if plain and not aws_supports_write_only(module):
        return None
    for c in consumers:
        if c.attr.name == c.spec.write_only and c.entity.attr(c.spec.version) is None:
            return None
        if c.attr.name == c.spec.argument and argument_is_read(module, c.entity, c.attr.name):
            return None
    return Migration(generator, consumers, plain=bool(plain))


def migration_edits(editor: Editor, migration: Migration) -> list[TextEdit] | None:
    generator = migration.generator
    edits = [TextEdit(generator.path, generator.abs(generator.block.type_range), "ephemeral")]
    for c in migration.consumers:
        for ref in c.refs:
            at = c.entity.abs(ref.range).start
            edits.append(TextEdit(c.entity.path, Range(at, at), "ephemeral."))
        if migration.plain:
            others = [o.entity.address for o in migration.consumers if o.entity is not c.entity]
            comment = reset_comment(c.spec, others)
            renamed = to_write_only(editor, c.entity, c.attr, c.spec, comment)
            if renamed is None:
                return None
            edits.extend(renamed)
    return edits


def ephemeral_block(name: str) -> str:
    """A generator of database master passwords every AWS engine accepts (30 characters fit
    the shortest limit, Oracle's)."""
    return "\n".join(
        [
            f'ephemeral "random_password" "{name}" {{',
            "  length           = 30",
            "  min_lower        = 1",
            "  min_upper        = 1",
            "  min_numeric      = 1",
            f'  override_special = "{DATABASE_SPECIALS}"',
            "}",
        ]
    )
