"""Shared pieces of the Azure rules: the azurerm major versions a module admits (read by
:mod:`tfguard.rules.kit.providers`), defaults that changed between majors, arguments renamed
between majors, and relations that an inline block can satisfy instead of a companion
resource.

:class:`AliasedCheck` and :class:`InlineOrRelation` are written without a provider in them,
but only Azure rules use them; they move into the kit when a second provider needs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from tfguard.findings import Finding
from tfguard.fixes import Editor, Fix, attribute_at, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Context, anchor_range
from tfguard.rules.kit.conditions import render
from tfguard.rules.kit.declarative import Check, InsertBlock, Relation, SetValue, When, holds
from tfguard.rules.kit.fixing import literal_string, set_path_edits
from tfguard.rules.kit.paths import ABSENT, Hit, lookup
from tfguard.rules.kit.providers import majors
from tfguard.rules.kit.values import UNKNOWN, Value
from tfguard.syntax import TupleExpr

REGISTRY_DOCS = "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/"

# The azurerm major versions whose defaults the rules know.
KNOWN_MAJORS = (3, 4)


def docs(resource_type: str, anchor: str = "") -> str:
    """The registry page of an azurerm resource (``storage_account``), at ``#anchor``."""
    return f"{REGISTRY_DOCS}{resource_type}" + (f"#{anchor}" if anchor else "")


def azurerm_majors(module: Module) -> frozenset[int] | None:
    """The azurerm major versions the module may run (the lock file's, else those its
    ``required_providers`` admit); None when that cannot be told."""
    return majors(module, "azurerm", range(1, 10))


def versioned_default(module: Module, defaults: dict[int, Value]) -> Value:
    """The default an argument takes under the azurerm majors the module admits: the one
    value every admitted major agrees on, else UNKNOWN (also when no constraint is
    written and the known majors disagree)."""
    majors = azurerm_majors(module)
    if majors is None:
        majors = frozenset(KNOWN_MAJORS)
    values = [defaults[m] for m in sorted(majors) if m in defaults]
    if not values or len(values) != len([m for m in majors if m in KNOWN_MAJORS]):
        return UNKNOWN
    first = values[0]
    return first if all(v == first for v in values) else UNKNOWN


class VersionedCheck(Check):
    """A check whose default depends on the azurerm major version: ``defaults_by_major``
    (3 → value, 4 → value) replaces ``default``."""

    defaults_by_major: ClassVar[dict[int, Value]] = {}

    def default_for(self, module: Module, entity: Entity) -> Value:
        return versioned_default(module, self.defaults_by_major)


class AliasedCheck(Check):
    """A check of an argument that has other names in other azurerm majors
    (``https_traffic_only_enabled`` in 4.x, ``enable_https_traffic_only`` in 3.x):
    ``attributes`` lists the paths, the current name first. The first name written is
    checked; when none is, the default applies at the current name's place."""

    attributes: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "attributes" in vars(cls) and "attribute" not in vars(cls):
            cls.attribute = cls.attributes[0]
        super().__init_subclass__(**kwargs)

    @property
    def has_fix(self) -> bool:
        return self.fix is not None or type(self).fixes is not AliasedCheck.fixes

    def _hits(self, module: Module, entity: Entity) -> tuple[str, list[Hit]]:
        for name in self.attributes:
            hits = lookup(module, entity, name)
            if any(h.present for h in hits):
                return name, hits
        return self.attributes[0], lookup(module, entity, self.attributes[0])

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        if not all(holds(module, entity, w) for w in self.only_if):
            return
        _, hits = self._hits(module, entity)
        for hit in hits:
            value = hit.value if hit.present else self.default_for(module, entity)
            if value is UNKNOWN:
                continue
            if self.condition.test(value) is False:
                yield hit, value

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in self.subjects(ctx.module):
            name, _ = self._hits(ctx.module, entity)
            for hit, value in self.failures(ctx.module, entity):
                template = self.message
                if not hit.present and self.missing_message is not None:
                    template = self.missing_message
                shown = "not set" if value is ABSENT else render(value)
                text = template.format(
                    address=entity.address,
                    name=entity.name,
                    type=entity.type,
                    attribute=name,
                    value=shown,
                    requirement=self.condition.describe(),
                )
                yield ctx.report(
                    entity, hit.anchor, text, data={"attribute": name, "missing": not hit.present}
                )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        spec = self.fix
        entity = entity_for(module, finding)
        if spec is None or entity is None:
            return []
        _, hits = self._hits(module, entity)
        hit = next((h for h in hits if entity.abs(anchor_range(h.anchor)) == finding.range), None)
        if hit is None:
            return []
        if isinstance(spec, SetValue):
            edits = set_path_edits(module, hit, spec.value)
            title = spec.title or f"Set {self.attribute} = {spec.value}"
        else:
            assert isinstance(spec, InsertBlock)
            edits = [Editor(module).insert_block(entity, entity.block, spec.text)]
            title = spec.title
        if not edits:
            return []
        return [Fix(title, tuple(edits), spec.applicability, spec.consequence)]


def undecided(module: Module, entity: Entity, whens: Iterable[When]) -> bool:
    """Some precondition cannot be decided (an unknown value)."""
    for when in whens:
        for hit in lookup(module, entity, when.path):
            value = hit.value if hit.present else when.default
            if when.condition.test(value) is UNKNOWN:
                return True
    return False


class InlineOrRelation(Relation):
    """A relation that the subject may also satisfy inline: when ``inline_when`` holds for
    the subject (``extended_auditing_policy`` written in an azurerm_sql_server), or cannot
    be decided, no companion is needed. ``inline_when`` empty means no inline form."""

    inline_when: ClassVar[tuple[When, ...]] = ()
    # The subject types that may carry the inline form (all of them when empty).
    inline_types: ClassVar[tuple[str, ...]] = ()

    def _inline_ok(self, module: Module, entity: Entity) -> bool:
        if not self.inline_when:
            return False
        if self.inline_types and entity.type not in self.inline_types:
            return False
        return all(holds(module, entity, w) for w in self.inline_when) or undecided(
            module, entity, self.inline_when
        )

    def subjects(self, module: Module) -> Iterable[Entity]:
        return [s for s in super().subjects(module) if not self._inline_ok(module, s)]


def replace_list_fix(module: Module, finding: Finding, text: str, title: str) -> list[Fix]:
    """A fix replacing the list the finding is on with ``text``, when every element of the
    list is a string written in place (a list from a variable is fixed where it is
    defined)."""
    at = attribute_at(module, finding)
    if at is None or not isinstance(at[2].value, TupleExpr):
        return []
    if any(literal_string(item) is None for item in at[2].value.items):
        return []
    edit = Editor(module).replace_value(at[0], at[2], text)
    return [Fix(title, (edit,), applicability="safe")]
