"""AWS helpers shared by the data-protection and logging rules (no rules here): the
customer-managed KMS keys a fix can choose from, and the ElastiCache groups that carry their
own settings. Provider-neutral helpers live in :mod:`tfguard.rules.kit`."""

from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN, Value
from tfguard.findings import Finding
from tfguard.fixes import Editor, Fix, attribute_at, block_at
from tfguard.module import Entity, Module
from tfguard.rules.kit.fixing import Choice, is_literal, variable_choice
from tfguard.rules.kit.resources import addressable, live

KMS_KEY = "aws_kms_key"


def primary_replication_groups(module: Module) -> Iterator[Entity]:
    """The ElastiCache replication groups that carry their own encryption settings: a
    secondary group of a global datastore (``global_replication_group_id``) takes them from
    the datastore."""
    for group in live(module, "aws_elasticache_replication_group"):
        if group.attr("global_replication_group_id") is None:
            yield group


# -- customer-managed keys in fixes -------------------------------------------------------------


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
    for choice in choices:
        if at is not None:
            edits = [editor.replace_value(entity, at[2], choice.expr)]
        else:
            assert header is not None
            edits = editor.insert_attributes(entity, header[1], [(argument, choice.expr)])
        out.append(Fix(title.format(key=choice.label), (*edits, *choice.edits), "safe"))
    return out
