"""Small helpers shared by the data-protection and logging rules (no rules here): reading
boolean arguments the way the provider does, and finding the node a finding sits on when a
fix is asked for."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from tfguard.evaluate import UNKNOWN, Value
from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, TextEdit, attribute_at, block_at
from tfguard.module import Entity, Module
from tfguard.rules.base import Context
from tfguard.syntax import Attribute, Block, Expr, Literal, Template


def as_bool(value: Value) -> Value:
    """True / False for a boolean or its string form; UNKNOWN for anything else."""
    if value is True or value == "true":
        return True
    if value is False or value == "false":
        return False
    return UNKNOWN


def bool_attr(module: Module, entity: Entity, name: str, default: Value = UNKNOWN) -> Value:
    """A boolean argument of a top-level block; ``default`` when it is not set."""
    attr = entity.attr(name)
    if attr is None:
        return default
    return as_bool(module.cached_value(attr.value))


def nested_bool(module: Module, block: Block, name: str, default: Value = UNKNOWN) -> Value:
    attr = block.attr(name)
    if attr is None:
        return default
    return as_bool(module.cached_value(attr.value))


def unique_name(module: Module, resource_type: str, wanted: str) -> str:
    """``wanted``, or ``wanted_2``... when a resource of that type already has the name."""
    taken = {e.name for e in module.of_type(resource_type)}
    name, n = wanted, 1
    while name in taken:
        n += 1
        name = f"{wanted}_{n}"
    return name


def check_flag(
    ctx: Context,
    entity: Entity,
    name: str,
    *,
    missing: str,
    disabled: str,
    block: Block | None = None,
    default: Value = False,
    severity: Severity | None = None,
) -> Iterator[Finding]:
    """Report a boolean argument that must be true: on the block header when it is left out
    and its default is false, on the argument when it is false. Unknown values are silent."""
    holder = block if block is not None else entity.block
    attr = holder.attr(name)
    if attr is None:
        if default is False:
            yield ctx.report(
                entity,
                holder,
                missing,
                severity=severity,
                data={"missing": True, "attribute": name},
            )
        return
    if as_bool(ctx.module.cached_value(attr.value)) is False:
        yield ctx.report(
            entity, attr, disabled, severity=severity, data={"missing": False, "attribute": name}
        )


def set_attributes_fix(
    module: Module,
    finding: Finding,
    title: str,
    values: dict[str, str],
    *,
    literal_only: bool = False,
    preferred: bool = True,
) -> list[Fix]:
    """A fix that gives the block the finding sits on (or the block holding the attribute it
    sits on) the arguments ``values`` (name → HCL text), replacing or adding each. With
    ``literal_only``, nothing when the attribute the finding is on takes its value from
    elsewhere (a variable, a local). A fix that replaces the resource is not ``preferred``:
    fix-all and ``tfguard fix`` apply preferred fixes unattended."""
    at = attribute_at(module, finding)
    if at is not None:
        entity, block, attr = at
        if literal_only and not is_literal(attr):
            return []
    else:
        header = block_at(module, finding)
        if header is None:
            return []
        entity, block = header
    editor = Editor(module)
    edits = [editor.set_attribute(entity, block, name, text) for name, text in values.items()]
    merged: list[TextEdit] = []
    for edit in edits:  # insertions at one place become one edit, in order
        same = next(
            (m for m in merged if m.range == edit.range and m.range.start == m.range.end), None
        )
        if same is not None and edit.range.start == edit.range.end:
            merged[merged.index(same)] = TextEdit(
                same.path, same.range, same.new_text + edit.new_text
            )
        else:
            merged.append(edit)
    return [Fix(title, tuple(merged), preferred=preferred)]


def exists(module: Module, entity: Entity) -> bool:
    """False only when a resource is known to have no instance: ``count = 0`` or an empty
    ``for_each`` (a switched-off optional resource)."""
    count = entity.attr("count")
    if count is not None:
        value = module.cached_value(count.value)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 0:
            return False
    for_each = entity.attr("for_each")
    if for_each is not None:
        value = module.cached_value(for_each.value)
        if isinstance(value, (list, dict)) and not value:
            return False
    return True


def live(module: Module, *types: str) -> list[Entity]:
    """The module's resources of ``types`` that may have instances (see :func:`exists`)."""
    return [e for e in module.of_type(*types) if exists(module, e)]


def primary_replication_groups(module: Module) -> Iterator[Entity]:
    """The ElastiCache replication groups that carry their own encryption settings: a
    secondary group of a global datastore (``global_replication_group_id``) takes them from
    the datastore."""
    for group in live(module, "aws_elasticache_replication_group"):
        if group.attr("global_replication_group_id") is None:
            yield group


# -- customer-managed keys in fixes -------------------------------------------------------------

KMS_KEY = "aws_kms_key"


@dataclass(frozen=True, slots=True)
class Choice:
    """A value a fix can write (a KMS key, a source range): ``expr`` is the HCL to write,
    ``edits`` what else the fix must add (a placeholder variable's declaration), ``label``
    how a fix's title names it."""

    expr: str
    edits: tuple[TextEdit, ...]
    label: str


def _encryption_key(module: Module, key: Entity) -> Value:
    """True for a symmetric encryption key, False for other keys, UNKNOWN when unreadable."""
    spec = module.attr_value(key, "customer_master_key_spec", "SYMMETRIC_DEFAULT")
    usage = module.attr_value(key, "key_usage", "ENCRYPT_DECRYPT")
    if spec is UNKNOWN or usage is UNKNOWN:
        return UNKNOWN
    return spec == "SYMMETRIC_DEFAULT" and usage == "ENCRYPT_DECRYPT"


def module_keys(module: Module) -> list[Entity]:
    """The module's keys that could encrypt data (symmetric encryption keys, or keys whose
    spec cannot be read), excluding keys switched off by ``count = 0``."""
    return [k for k in live(module, KMS_KEY) if _encryption_key(module, k) is not False]


def addressable(key: Entity) -> bool:
    """A key written once (no count / for_each), so ``aws_kms_key.k.arn`` names it."""
    return key.attr("count") is None and key.attr("for_each") is None


def key_choices(module: Module, owner: Entity, variable: str, description: str) -> list[Choice]:
    """Where a customer-managed key can come from, the preferred first. The module's only
    encryption key (``aws_kms_key.k.arn``) comes first, with the variable as the alternative;
    otherwise the variable ``variable`` (declared in the module's variables.tf with
    ``description``, a string and no default, so that a plan asks for it) comes first, with
    each of the module's keys (up to five) as alternatives."""
    keys = module_keys(module)
    refs = [
        Choice(f"{k.address}.arn", (), k.address)
        for k in keys
        if addressable(k) and _encryption_key(module, k) is True
    ][:5]
    placeholder = variable_choice(
        module, owner, variable, description, "string", f"a new variable var.{variable}"
    )
    if len(keys) == 1 and refs:
        return [refs[0], placeholder]
    return [placeholder, *refs]


def variable_choice(
    module: Module, owner: Entity, name: str, description: str, type_: str, label: str
) -> Choice:
    """``var.<name>``, declared (description, type, no default) in the module's
    variables.tf unless the module already declares it."""
    if name in module.variables:
        return Choice(f"var.{name}", (), f"var.{name}")
    text = "\n".join(
        [
            f'variable "{name}" {{',
            f"  description = {hcl_string(description)}",
            f"  type        = {type_}",
            "}",
        ]
    )
    path = os.path.join(module.directory, "variables.tf")
    editor = Editor(module)
    edit = editor.append_to_file(path, editor.reindent(owner, text), like=owner)
    return Choice(f"var.{name}", (edit,), label)


def hcl_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "$${")
    return f'"{escaped.replace("%{", "%%{")}"'


def is_literal(attr: Attribute) -> bool:
    """A value written in place (a number, bool, null or a string without interpolation):
    a fix may replace it. A value from a variable, a local or an expression is defined
    elsewhere, where the fix does not reach."""
    return literal_string(attr.value) is not None or isinstance(attr.value, Literal)


def literal_string(expr: Expr) -> str | None:
    """The text of a string written in place (no interpolation), else None."""
    if isinstance(expr, Literal):
        return expr.value if isinstance(expr.value, str) else None
    if isinstance(expr, Template) and all(isinstance(p, str) for p in expr.parts):
        return "".join(p for p in expr.parts if isinstance(p, str))
    return None


def parent_block(root: Block, child: Block) -> Block | None:
    """The block that directly holds ``child``."""
    for block in root.walk_blocks():
        if any(b is child for b in block.blocks):
            return block
    return None


def check_key_argument(
    ctx: Context, entity: Entity, name: str, *, missing: str, empty: str
) -> Iterator[Finding]:
    """Report an argument that must name a customer-managed key: on the block header when it
    is left out, on the argument when its value is empty or null. Unknown values are silent.
    :func:`key_argument_fixes` fixes both."""
    attr = entity.attr(name)
    if attr is None:
        yield ctx.report(entity, entity.block, missing, data={"missing": True})
    elif ctx.value(attr.value) in ("", None):
        yield ctx.report(entity, attr, empty, data={"missing": False})


def key_argument_fixes(
    module: Module,
    finding: Finding,
    argument: str,
    variable: str,
    description: str,
    title: str,
) -> list[Fix]:
    """Fixes that set ``argument`` of the block a finding is on (or replace the literal value
    the finding is on) to a customer-managed key from :func:`key_choices`. ``variable`` and
    ``description`` may use ``{name}`` and ``{address}`` of the resource, ``title`` names the
    key with ``{key}``. Nothing when the value to replace is not written in place."""
    at = attribute_at(module, finding)
    header = None if at is not None else block_at(module, finding)
    entity = at[0] if at is not None else header[0] if header is not None else None
    if entity is None:
        return []
    if at is not None and not is_literal(at[2]):
        return []
    editor = Editor(module)
    out: list[Fix] = []
    names = {"name": entity.name, "address": entity.address}
    choices = key_choices(module, entity, variable.format(**names), description.format(**names))
    for i, choice in enumerate(choices):
        if at is not None:
            edits = [editor.replace_value(entity, at[2], choice.expr)]
        else:
            assert header is not None
            edits = editor.insert_attributes(entity, header[1], [(argument, choice.expr)])
        out.append(Fix(title.format(key=choice.label), (*edits, *choice.edits), preferred=i == 0))
    return out
