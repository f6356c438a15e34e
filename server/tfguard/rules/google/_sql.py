"""Cloud SQL instances: the engine (from ``database_version``), the ``database_flags`` blocks
inside ``settings`` (dynamic ones included), and :class:`FlagRule`, the shared shape of the
CIS database-flag rules.

A flag that is not written takes the engine's default (the value Cloud SQL documents for
it); the engine is unknown when ``database_version`` cannot be read, and the rules then stay
silent. Read replicas (``master_instance_name``) are checked like primaries: they have flags
of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from tfguard.findings import Finding
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Anchor, Context, Rule, anchor_range
from tfguard.rules.kit.conditions import Condition, Satisfies
from tfguard.rules.kit.fixing import hcl_string, literal_string
from tfguard.rules.kit.instances import RuleSet, block_set, instance_evaluators
from tfguard.rules.kit.network import is_open_cidr
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, Value, as_bool, as_number, as_string

INSTANCE = "google_sql_database_instance"


def engine(module: Module, entity: Entity) -> Value:
    """``POSTGRES``, ``MYSQL`` or ``SQLSERVER``; UNKNOWN when it cannot be read."""
    version = as_string(module.attr_value(entity, "database_version"))
    if version is UNKNOWN:
        return UNKNOWN
    head = str(version).upper().split("_", 1)[0]
    return head if head in ("POSTGRES", "MYSQL", "SQLSERVER") else UNKNOWN


def major_version(module: Module, entity: Entity) -> Value:
    """The engine's major version (``POSTGRES_15`` → 15); UNKNOWN when unreadable."""
    version = as_string(module.attr_value(entity, "database_version"))
    if version is UNKNOWN:
        return UNKNOWN
    parts = str(version).split("_")
    return as_number(parts[1]) if len(parts) > 1 else UNKNOWN


@dataclass(slots=True)
class Flag:
    """One ``database_flags`` block (or its dynamic content, per element)."""

    rule_set: RuleSet
    name: Value
    value: Value


@dataclass(slots=True)
class Flags:
    """The flags of one instance: the settings block they sit in (None when there is no
    settings block), and whether every flag's name could be read."""

    entity: Entity
    settings: RuleSet | None
    flags: list[Flag]
    complete: bool

    def named(self, name: str) -> list[Flag]:
        return [f for f in self.flags if isinstance(f.name, str) and f.name == name]


def instance_flags(module: Module, entity: Entity) -> Iterator[Flags]:
    """The flags of each instance of a ``google_sql_database_instance``."""
    for evaluator in instance_evaluators(module, entity):
        settings_block = entity.block.block("settings")
        if settings_block is None:
            yield Flags(entity, None, [], True)
            continue
        settings = block_set(entity, settings_block, evaluator)
        flags: list[Flag] = []
        complete = True
        for rule_set in settings.nested_all("database_flags"):
            name = as_string(rule_set.get("name"))
            if name is UNKNOWN:
                complete = False
            flags.append(Flag(rule_set, name, rule_set.get("value")))
        if settings_block.attr("database_flags") is not None:
            complete = False  # the attribute form: not read
        yield Flags(entity, settings, flags, complete)


def on_off(value: Value) -> Value:
    """``on`` / ``off`` (Cloud SQL also takes true/false) as a bool; UNKNOWN otherwise."""
    text = as_string(value)
    if text is UNKNOWN:
        return UNKNOWN
    lowered = str(text).strip().lower()
    if lowered in ("on", "true", "1"):
        return True
    if lowered in ("off", "false", "0"):
        return False
    return UNKNOWN


class FlagRule(Rule):
    """A CIS database flag: instances of ``engines`` must give ``flag`` a value that meets
    ``condition``; ``default`` is the engine's value when the flag is not written (UNKNOWN:
    stay silent), and ``wanted`` the value the fix writes (None: no fix)."""

    engines: ClassVar[tuple[str, ...]]
    flag: ClassVar[str]
    condition: ClassVar[Condition]
    default: ClassVar[Value] = UNKNOWN
    wanted: ClassVar[str | None] = None
    # Placeholders: {address}, {flag}, {value}.
    message: ClassVar[str]
    missing_message: ClassVar[str]
    # Whether the fix may be applied unattended (flags that restart the instance: False).
    fix_preferred: ClassVar[bool] = True
    # What an unsafe fix changes, for its title.
    fix_consequence: ClassVar[str] = ""

    @property
    def has_fix(self) -> bool:
        return self.wanted is not None

    def default_for(self, module: Module, entity: Entity) -> Value:
        return self.default

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, INSTANCE):
            if engine(module, entity) not in self.engines:
                continue
            reported: set[int] = set()
            for flags in instance_flags(module, entity):
                yield from self._check(ctx, flags, reported)

    def _check(self, ctx: Context, flags: Flags, reported: set[int]) -> Iterator[Finding]:
        entity = flags.entity
        found = flags.named(self.flag)
        if found:
            for flag in found:
                verdict = self.condition.test(flag.value)
                anchor = flag.rule_set.anchor("value")
                if verdict is False and id(anchor) not in reported:
                    reported.add(id(anchor))
                    shown = as_string(flag.value)
                    yield ctx.report(
                        entity,
                        anchor,
                        self.message.format(address=entity.address, flag=self.flag, value=shown),
                        related=[(entity, flag.rule_set.anchor("name"), f"the {self.flag} flag")],
                        data={"flag": self.flag, "missing": False},
                    )
            return
        if not flags.complete:
            return  # a flag whose name cannot be read may be this one
        default = self.default_for(ctx.module, entity)
        if default is UNKNOWN or self.condition.test(default) is not False:
            return
        place: Anchor = flags.settings.holder if flags.settings is not None else entity.block
        if id(place) in reported:
            return
        reported.add(id(place))
        yield ctx.report(
            entity,
            place,
            self.missing_message.format(address=entity.address, flag=self.flag, value=default),
            data={"flag": self.flag, "missing": True},
        )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if self.wanted is None:
            return []
        entity = entity_for(module, finding)
        if entity is None:
            return []
        editor = Editor(module)
        title = f'Set the {self.flag} flag to "{self.wanted}"'
        if finding.data.get("missing"):
            settings = entity.block.block("settings")
            if settings is None or entity.abs(anchor_range(settings)) != finding.range:
                return []
            text = "\n".join(
                [
                    "database_flags {",
                    f"  name  = {hcl_string(self.flag)}",
                    f"  value = {hcl_string(self.wanted)}",
                    "}",
                ]
            )
            edit = editor.insert_block(entity, settings, text)
            return [
                Fix(
                    title, (edit,), "safe" if self.fix_preferred else "unsafe", self.fix_consequence
                )
            ]
        for block in entity.block.walk_blocks():
            if block.type != "database_flags":
                continue
            value = block.attr("value")
            if value is None or entity.abs(value.range) != finding.range:
                continue
            if literal_string(value.value) is None:
                return []  # from a variable or an iterator: fixed where it is defined
            edit = TextEdit(entity.path, entity.abs(value.value.range), hcl_string(self.wanted))
            return [
                Fix(
                    title, (edit,), "safe" if self.fix_preferred else "unsafe", self.fix_consequence
                )
            ]
        return []


def _on(value: Value) -> Value:
    return on_off(value)


def _off(value: Value) -> Value:
    verdict = on_off(value)
    return UNKNOWN if verdict is UNKNOWN else not verdict


IS_ON = Satisfies(_on, 'must be "on"')
IS_OFF = Satisfies(_off, 'must be "off"')


def open_authorized_networks(module: Module, entity: Entity) -> list[tuple[Anchor, str]]:
    """The authorized networks of an instance that admit every address, with where each is
    written, per instance and per element of a dynamic ``authorized_networks`` block; only
    when the instance has a public IP (``ipv4_enabled`` defaults to true)."""
    out: list[tuple[Anchor, str]] = []
    seen: set[int] = set()
    settings_block = entity.block.block("settings")
    if settings_block is None:
        return out
    for evaluator in instance_evaluators(module, entity):
        settings = block_set(entity, settings_block, evaluator)
        ip = settings.nested("ip_configuration")
        if ip is None:
            continue
        if "ipv4_enabled" in ip.anchors and as_bool(ip.get("ipv4_enabled")) is not True:
            continue  # no public IP (or unknown)
        for network in ip.nested_all("authorized_networks"):
            cidr = as_string(network.get("value"))
            anchor = network.anchor("value")
            if cidr is not UNKNOWN and is_open_cidr(cidr) and id(anchor) not in seen:
                seen.add(id(anchor))
                out.append((anchor, str(cidr)))
    return out
