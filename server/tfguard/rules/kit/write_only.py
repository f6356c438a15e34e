"""Moving a secret argument to its write-only twin: the shared check of the
``<provider>-secret-argument-write-only`` rules (:class:`SecretArgumentWriteOnly`, one
subclass per provider) and the fixes they share with terraform-random-password-not-ephemeral.

The table of arguments (``data/write_only.json``, :mod:`tfguard.writeonly`) says, for each, the
first provider release with the twin and what switching does to an existing resource; the
comments and titles the fixes write follow from it.

Two edits are shared. *To write-only*: ``password = X`` becomes ``password_wo = X`` with
``password_wo_version = 1`` beside it and a comment saying what the change does. *To
ephemeral*: a ``resource "random_password"`` whose result only feeds write-only-capable
arguments becomes an ``ephemeral "random_password"`` and every reference to it is re-pointed;
this is offered only when every consumer receives the new value in the same apply (all plain
arguments that become write-only) or none does (all already write-only with a version), so
that no two resources end up with different passwords.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from tfguard.findings import Finding, Range, Severity
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.editing import (
    attribute_holding,
    block_before,
    comment_above,
    line_after,
    name_column,
    on_own_lines,
    rename_padded,
)
from tfguard.rules.kit.providers import admits_release
from tfguard.secrets import literal_string, name_words, write_only_support
from tfguard.syntax import Attribute, Reference
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
EPHEMERAL_RANDOM_SINCE = "3.7.0"  # hashicorp/random release with ephemeral random_password
# Special characters every AWS database engine accepts in a master password (no / " @ '); Azure
# SQL, Azure PostgreSQL and Cloud SQL accept them too.
DATABASE_SPECIALS = "!#$%&*()-_=+[]{}<>:?"
# Where each provider keeps a secret without a state copy, for "store it in the same run".
SECRET_STORES = {
    "aws": "secret_string_wo",
    "azurerm": "a Key Vault secret's value_wo",
    "google": "a Secret Manager version's secret_data_wo",
}


# Meta-arguments that name an object without reading its values.
_ORDERING_ARGUMENTS = frozenset({"depends_on", "replace_triggered_by"})


def noun(spec: WriteOnly) -> str:
    return "password" if "password" in spec.argument else "value"


def same_value_comment(spec: WriteOnly) -> list[str]:
    """The comment above a renamed argument that keeps its value: what the next apply does to
    an existing resource."""
    head = "Write-only: kept out of the state (needs Terraform >= 1.11). On an existing"
    if spec.existing == "resends":
        return [
            f"{head} resource",
            f"the next apply sends this {noun(spec)} again (it stays the same); bump",
            f"{spec.version} whenever the {noun(spec)} must change.",
        ]
    if spec.existing == "new-version":
        return [
            f"{head} secret",
            "the next apply stores this value again as a new version (its versioned id",
            f"changes); bump {spec.version} whenever the value must change.",
        ]
    if spec.existing == "replaces":
        return [
            f"{head} version",
            "the next apply replaces it: the same data gets a new version number and the old",
            f"version is destroyed unless deletion_policy keeps it. Bump {spec.version} to",
            "send new data (each bump replaces the version again).",
        ]
    return [
        f"{head} resource",
        f"the next apply resets the {noun(spec)} (some AWS provider releases leave it empty):",
        f"check it afterwards, and bump {spec.version} to send this value again.",
    ]


def same_value_effect(spec: WriteOnly) -> tuple[str, str]:
    """(what a title says, the consequence of the unsafe fix) for switching an existing
    resource to the write-only twin with the same value."""
    what = noun(spec)
    if spec.existing == "resends":
        return (
            f"sends the same {what} to an existing resource again",
            f"sends the {what} of an existing resource again",
        )
    if spec.existing == "new-version":
        return (
            "an existing secret gets a new version with the same value",
            "creates a new version of an existing secret",
        )
    if spec.existing == "replaces":
        return (
            "replaces an existing secret version, destroying the old one unless "
            "deletion_policy keeps it",
            "replaces an existing secret version",
        )
    return (
        f"resets the {what} of an existing resource unless handled",
        f"resets the {what} of an existing resource",
    )


def switch_caveat(spec: WriteOnly) -> str:
    """What a finding says switching an existing resource costs."""
    effect = {
        "resets": "sends the value again (it can reset the secret)",
        "resends": "sends the value again",
        "new-version": "stores the value again as a new version of the secret",
        "replaces": "replaces the version (by default destroying the old one)",
    }[spec.existing]
    return f"switching an existing resource to {spec.write_only} needs {spec.version} and {effect}"


def reset_comment(spec: WriteOnly, shared_with: list[str] | None = None) -> list[str]:
    head = [
        "Write-only, from an ephemeral password (needs Terraform >= 1.11). On an existing",
        f"resource the next apply RESETS the {noun(spec)} to a new random value kept in no",
    ]
    if shared_with:
        return [*head, f"state; {', '.join(shared_with)} gets the same value in that apply."]
    store = SECRET_STORES.get(spec.provider, "a write-only secret")
    tail = f"state: store it in the same run ({store}) or plan it with its users."
    if len(tail) <= 80:
        return [*head, tail]
    return [*head, f"state: store it in the same run ({store})", "or plan it with its users."]


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


def random_supports_ephemeral(module: Module) -> bool:
    """Whether the random provider offers the ephemeral random_password."""
    return admits_release(module, "random", EPHEMERAL_RANDOM_SINCE)


def serving_provider(entity: Entity, spec: WriteOnly) -> str:
    """The provider that manages the resource: the one its ``provider`` meta-argument names
    (``google-beta``, by the local name that is its type), else the type's prefix."""
    attr = entity.attr("provider")
    if attr is not None and isinstance(attr.value, Reference):
        return str(attr.value.root)
    return spec.provider


def supports_write_only(module: Module, entity: Entity, spec: WriteOnly) -> bool:
    """Whether the provider allowed and locked has the write-only twin (no gate when the
    table knows no first release)."""
    if spec.since is None:
        return True
    return admits_release(module, serving_provider(entity, spec), spec.since)


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
    if not all(supports_write_only(module, c.entity, c.spec) for c in plain):
        return None  # a provider allowed or locked predates the write-only argument
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
    """A generator of database passwords every AWS engine accepts (30 characters fit the
    shortest limit, Oracle's), and Azure SQL, Azure PostgreSQL and Cloud SQL too (lower, upper
    and numeric characters: three of the four classes Azure requires)."""
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


# -- the <provider>-secret-argument-write-only rules --------------------------------------------


class SecretArgumentWriteOnly(Rule):
    """A secret argument of ``provider``'s resources kept in state although the table has a
    write-only twin for it. A subclass sets the metadata and ``provider`` (``aws``,
    ``azurerm``, ``google``: the prefix of the resource types it covers), and may narrow
    :meth:`applies`.

    Each finding gets the rename to the write-only twin (value unchanged, comment saying what
    the next apply does to an existing resource) and, for a literal password or one from a
    ``resource "random_password"`` only write-only arguments read, an ephemeral
    random_password feeding it. Both are unsafe. None is offered unless every Terraform
    release required_version allows has write-only arguments, the provider allowed and locked
    has the twin, and nothing else reads the argument."""

    provider: ClassVar[str]

    def applies(self, ctx: Context, entity: Entity, spec: WriteOnly) -> bool:
        """Whether the argument holds a secret on this resource (all of them by default)."""
        return True

    def check(self, ctx: Context) -> Iterator[Finding]:
        support = write_only_support(ctx.module)
        if support == "unsupported":
            return
        for rtype, arguments in write_only_table().items():
            if rtype.split("_", 1)[0] != self.provider:
                continue
            for entity in ctx.resources(rtype):
                for spec in arguments.values():
                    attr = entity.attr(spec.argument)
                    if attr is None or ctx.value(attr.value) is None:
                        continue
                    if not self.applies(ctx, entity, spec):
                        continue
                    caveat = switch_caveat(spec)
                    if support == "optional":
                        message = (
                            f"{entity.address}.{spec.argument} is stored in state; raising "
                            f"required_version to >= 1.11 allows {spec.write_only} "
                            f"({caveat})"
                        )
                        severity = Severity.LOW
                    else:
                        message = (
                            f"{entity.address}.{spec.argument} is stored in plain text in the "
                            f"state; use the write-only {spec.write_only} ({caveat})"
                        )
                        severity = self.severity
                    yield ctx.report(
                        entity,
                        attr,
                        message,
                        severity=severity,
                        data={
                            "argument": spec.argument,
                            "writeOnly": spec.write_only,
                            "version": spec.version,
                            "support": support,
                        },
                    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if finding.data.get("support") not in ("required", "unknown"):
            return []  # some allowed Terraform release would reject the write-only argument
        entity = entity_for(module, finding)
        if entity is None:
            return []
        spec = write_only_table().get(entity.type, {}).get(str(finding.data.get("argument")))
        if spec is None or entity.attr(spec.write_only) is not None:
            return []
        attr = entity.attr(spec.argument)
        if attr is None or argument_is_read(module, entity, spec.argument):
            return []  # whatever reads the argument would read null after the rename
        if not supports_write_only(module, entity, spec):
            return []  # the provider allowed or locked predates the write-only argument
        editor = Editor(module)
        same = to_write_only(editor, entity, attr, spec, same_value_comment(spec))
        if same is None:
            return []
        effect, consequence = same_value_effect(spec)
        fixes = [
            Fix(
                f"Use the write-only {spec.write_only} (needs Terraform >= 1.11; {effect})",
                tuple(same),
                "unsafe",
                consequence,
            )
        ]
        full = _ephemeral_fix(editor, module, entity, attr, spec)
        if full is not None:
            fixes.append(full)
        return fixes


def _ephemeral_fix(
    editor: Editor, module: Module, entity: Entity, attr: Attribute, spec: WriteOnly
) -> Fix | None:
    """The full pattern: the write-only argument fed by an ephemeral random_password, for a
    literal password or one from a managed random_password."""
    if not random_supports_ephemeral(module):
        return None
    value = attr.value
    reset = f"RESETS the {noun(spec)} of an existing resource to a new random value"
    if literal_string(value) is not None and "password" in spec.argument:
        name = unique_ephemeral_name(module, "_".join(name_words(f"{entity.name}_{spec.argument}")))
        moved = to_write_only(
            editor,
            entity,
            attr,
            spec,
            reset_comment(spec),
            value=f"ephemeral.random_password.{name}.result",
        )
        if moved is None:
            return None
        return Fix(
            f"Use {spec.write_only} from a new ephemeral random_password (needs Terraform >= "
            f"1.11; {reset})",
            (block_before(editor, entity, ephemeral_block(name)), *moved),
            "unsafe",
            "sets a new random password",
        )
    if isinstance(value, Reference) and value.root == "random_password":
        generator = module.resolve(value)
        migration = ephemeral_migration(module, generator) if generator is not None else None
        if generator is None or migration is None or not migration.plain:
            return None
        edits = migration_edits(editor, migration)
        if edits is None:
            return None
        others = len(migration.consumers) - 1
        also = f" and {others} more" if others else ""
        return Fix(
            f"Make {generator.address} ephemeral and feed {spec.write_only}{also} (needs "
            f"Terraform >= 1.11; {reset})",
            tuple(edits),
            "unsafe",
            "sets a new random password",
        )
    return None
