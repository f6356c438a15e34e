"""Rules written as data.

:class:`Check` is "resources of types T: the value at path P must satisfy C (the provider's
default D when P is left out)"; :class:`Relation` is "every T1 needs a T2 that points at it".
A subclass sets class attributes (and the metadata every rule has); the check, the fix, the
fix description, the generated tests and the docs follow from them::

    class KmsKeyRotation(Check):
        id = "aws-kms-key-rotation"
        ...
        resource_types = ("aws_kms_key",)
        attribute = "enable_key_rotation"
        condition = Equals(True)
        default = False
        message = "KMS key {address} does not rotate its key material"
        fix = SetValue("true", "Enable automatic key rotation")

Unknown values never fail: a condition that cannot be decided is silent. Resources with
``count = 0`` or an empty ``for_each`` are skipped (:func:`tfguard.rules.kit.resources.live`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from tfguard.evaluate import Evaluator
from tfguard.findings import Finding, Severity
from tfguard.fixes import Applicability, Editor, Fix, TextEdit, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Anchor, Context, Rule, anchor_range
from tfguard.rules.kit.conditions import Condition, render
from tfguard.rules.kit.fixing import set_path_edits, unique_name
from tfguard.rules.kit.instances import expression_targets, instance_evaluators
from tfguard.rules.kit.paths import ABSENT, Hit, lookup
from tfguard.rules.kit.resources import addressable, exists, live
from tfguard.rules.kit.values import UNKNOWN, Value, as_string

# -- fix specifications ----------------------------------------------------------------------


def _applicability(value: Applicability | bool, preferred: bool | None) -> Applicability:
    """``applicability`` as given, or from the old ``preferred`` flag (True: safe)."""
    if preferred is not None:
        value = preferred
    if isinstance(value, bool):
        return "safe" if value else "unsafe"
    return value


def _describe(text: str, applicability: Applicability, consequence: str) -> str:
    if applicability == "safe":
        return text
    label = (
        "Unsafe (applied only by tfguard fix --unsafe-fixes)"
        if applicability == "unsafe"
        else "Display only (shown in the editor, never applied by tfguard fix or fix-all)"
    )
    return f"{text} {label}{': ' + consequence if consequence else ''}."


class _Spec:
    """What every fix specification shares: how far its fix may be trusted (see
    :class:`tfguard.fixes.Fix`) and, for an unsafe one, what it changes."""

    applicability: Applicability
    consequence: str

    @property
    def preferred(self) -> bool:
        """The old spelling: safe."""
        return self.applicability == "safe"


@dataclass(frozen=True, init=False)
class SetValue(_Spec):
    """Set the checked path to ``value`` (HCL text): replace a literal, or add the attribute
    and the nested blocks it needs. ``{address}`` and ``{name}`` in the title name the
    resource. ``applicability="unsafe"`` (with its ``consequence``) for a change that replaces
    the resource or changes what it does beyond removing the finding; ``preferred=`` (a bool)
    is the old spelling."""

    value: str
    title: str
    applicability: Applicability
    # Replace a value that comes from a variable or a local too (by default only a literal
    # is replaced: the fix belongs where the value is defined).
    replace_expressions: bool
    consequence: str

    def __init__(
        self,
        value: str,
        title: str = "",
        applicability: Applicability | bool = "safe",
        replace_expressions: bool = False,
        consequence: str = "",
        *,
        preferred: bool | None = None,
    ) -> None:
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "applicability", _applicability(applicability, preferred))
        object.__setattr__(self, "replace_expressions", replace_expressions)
        object.__setattr__(self, "consequence", consequence)

    def describe(self, path: str) -> str:
        return _describe(f"Sets {path} = {self.value}.", self.applicability, self.consequence)


@dataclass(frozen=True, init=False)
class InsertBlock(_Spec):
    """Add the nested block ``text`` (two-space indented HCL) to the resource."""

    text: str
    title: str
    applicability: Applicability
    consequence: str

    def __init__(
        self,
        text: str,
        title: str,
        applicability: Applicability | bool = "safe",
        consequence: str = "",
        *,
        preferred: bool | None = None,
    ) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "applicability", _applicability(applicability, preferred))
        object.__setattr__(self, "consequence", consequence)

    def describe(self, path: str) -> str:
        head = self.text.strip().split("\n", 1)[0].rstrip("{ ").strip()
        return _describe(f"Adds a {head} block.", self.applicability, self.consequence)


@dataclass(frozen=True)
class When:
    """A precondition: the subject is checked only when the value at ``path`` (``default``
    when left out) is known to satisfy ``condition``."""

    path: str
    condition: Condition
    default: Value = ABSENT


def holds(module: Module, entity: Entity, when: When) -> bool:
    """Whether ``when`` is known to hold for ``entity`` (at every place its path reaches)."""
    hits = lookup(module, entity, when.path)
    for hit in hits:
        value = hit.value if hit.present else when.default
        if when.condition.test(value) is not True:
            return False
    return True


def _fields(entity: Entity, **extra: Any) -> dict[str, Any]:
    return {"address": entity.address, "name": entity.name, "type": entity.type, **extra}


class Check(Rule):
    """Resources of ``resource_types``: the value at ``attribute`` must satisfy
    ``condition``. See the module docstring."""

    resource_types: ClassVar[tuple[str, ...]]
    attribute: ClassVar[str]
    condition: ClassVar[Condition]
    # The provider's documented default when the attribute is left out; ABSENT when leaving
    # it out means "not set" (Present / NotEmpty conditions), UNKNOWN when it cannot be known.
    default: ClassVar[Value] = ABSENT
    # Extra conditions a resource must meet to be checked at all (key usage, engine...).
    only_if: ClassVar[tuple[When, ...]] = ()
    # Placeholders: {address} {name} {type} {attribute} {value} {requirement}.
    message: ClassVar[str]
    missing_message: ClassVar[str | None] = None
    fix: ClassVar[SetValue | InsertBlock | None] = None
    # Evaluate each count / for_each instance on its own (``each.value.public``), reporting
    # a place once when any instance fails there.
    per_instance: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "fix" in vars(cls) and cls.fix is not None and "fix_description" not in vars(cls):
            cls.fix_description = cls.fix.describe(cls.attribute)

    @property
    def has_fix(self) -> bool:
        return self.fix is not None or type(self).fixes is not Check.fixes

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        """Extra placeholders for ``message`` (override to name the resource's kind...)."""
        return {}

    def related_for(
        self, module: Module, entity: Entity, hit: Hit
    ) -> list[tuple[Entity, Anchor, str]]:
        """Other places that explain a finding (the resource a value comes from)."""
        return []

    def severity_for(self, module: Module, entity: Entity, hit: Hit) -> Severity | None:
        """The severity of one finding when it is not the rule's (None: the rule's)."""
        return None

    def default_for(self, module: Module, entity: Entity) -> Value:
        """The value an absent attribute takes (override for version-dependent defaults)."""
        return self.default

    def subjects(self, module: Module) -> Iterable[Entity]:
        return live(module, *self.resource_types)

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        """The places of ``entity`` that fail the condition, with the value tested."""
        if not all(holds(module, entity, w) for w in self.only_if):
            return
        evaluators: list[Evaluator | None] = [None]
        if self.per_instance:
            evaluators = list(instance_evaluators(module, entity))
        seen: set[int] = set()
        for evaluator in evaluators:
            for hit in lookup(module, entity, self.attribute, evaluator):
                place = id(hit.anchor)
                if place in seen:
                    continue
                value = hit.value if hit.present else self.default_for(module, entity)
                if value is UNKNOWN:
                    continue
                if self.condition.test(value) is False:
                    seen.add(place)
                    yield hit, value

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in self.subjects(ctx.module):
            yield from self.check_subject(ctx, entity)

    def check_subject(self, ctx: Context, entity: Entity) -> Iterator[Finding]:
        """The findings on one resource (the engine re-checks only the resources an edit
        changed: see :mod:`tfguard.incremental`)."""
        for hit, value in self.failures(ctx.module, entity):
            template = self.message
            if not hit.present and self.missing_message is not None:
                template = self.missing_message
            shown = "not set" if value is ABSENT else render(value)
            text = template.format(
                **_fields(
                    entity,
                    attribute=self.attribute,
                    value=shown,
                    requirement=self.condition.describe(),
                    **self.message_fields(ctx.module, entity),
                )
            )
            yield ctx.report(
                entity,
                hit.anchor,
                text,
                severity=self.severity_for(ctx.module, entity, hit),
                related=self.related_for(ctx.module, entity, hit),
                data={
                    "attribute": self.attribute,
                    "missing": not hit.present,
                },
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        spec = self.fix
        if spec is None:
            return []
        entity = entity_for(module, finding)
        if entity is None:
            return []
        hit = next(
            (
                h
                for h in lookup(module, entity, self.attribute)
                if entity.abs(anchor_range(h.anchor)) == finding.range
            ),
            None,
        )
        if hit is None:
            return []
        if isinstance(spec, SetValue):
            edits = set_path_edits(module, hit, spec.value, spec.replace_expressions)
            title = spec.title or f"Set {self.attribute} = {spec.value}"
        else:
            edits = [Editor(module).insert_block(entity, entity.block, spec.text)]
            title = spec.title
        title = title.replace("{address}", entity.address).replace("{name}", entity.name)
        if not edits:
            return []
        return [Fix(title, tuple(edits), spec.applicability, spec.consequence)]


# -- relations ---------------------------------------------------------------------------------


@dataclass(frozen=True, init=False)
class AddCompanion(_Spec):
    """Add a companion resource after the subject. ``template`` is HCL in which ``{name}``
    (a free name for the new resource), ``{subject}`` (the subject's address) and
    ``{subject_name}`` are replaced; other braces are HCL's own."""

    template: str
    title: str
    applicability: Applicability
    consequence: str

    def __init__(
        self,
        template: str,
        title: str,
        applicability: Applicability | bool = "safe",
        consequence: str = "",
        *,
        preferred: bool | None = None,
    ) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "applicability", _applicability(applicability, preferred))
        object.__setattr__(self, "consequence", consequence)

    def describe(self) -> str:
        head = self.template.strip().split("\n", 1)[0].split("{", 1)[0].strip()
        text = f"Adds a {head} block for the resource."
        return _describe(text, self.applicability, self.consequence)


class Relation(Rule):
    """Every resource of ``resource_types`` needs a resource of ``companion_types`` whose
    ``link`` argument points at it (by reference, or by the subject's ``name_attribute``
    written literally), and that meets ``companion_when``.

    When a companion's link cannot be read (a variable, a computed value), it may serve any
    subject, so the rule stays silent for the whole module: a missing companion is reported
    only when it is certain."""

    resource_types: ClassVar[tuple[str, ...]]
    companion_types: ClassVar[tuple[str, ...]]
    link: ClassVar[str]
    name_attribute: ClassVar[str | None] = None
    companion_when: ClassVar[tuple[When, ...]] = ()
    only_if: ClassVar[tuple[When, ...]] = ()
    # Placeholders: {address} {name} {type}.
    message: ClassVar[str]
    fix: ClassVar[AddCompanion | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "fix" in vars(cls) and cls.fix is not None and "fix_description" not in vars(cls):
            cls.fix_description = cls.fix.describe()

    @property
    def has_fix(self) -> bool:
        return self.fix is not None or type(self).fixes is not Relation.fixes

    def subjects(self, module: Module) -> Iterable[Entity]:
        return live(module, *self.resource_types)

    def companions(self, module: Module) -> tuple[dict[int, list[Entity]], bool]:
        """Subject (by id) → its live companions; and whether every companion's link could
        be read."""
        names: dict[str, list[Entity]] = {}
        subjects = list(self.subjects(module))
        if self.name_attribute is not None:
            for subject in subjects:
                name = as_string(module.attr_value(subject, self.name_attribute))
                if name is not UNKNOWN:
                    names.setdefault(name, []).append(subject)
        ids = {id(s) for s in subjects}
        out: dict[int, list[Entity]] = {}
        complete = True
        for companion in live(module, *self.companion_types):
            attr = companion.attr(self.link)
            if attr is None:
                continue
            targets = [
                t for t in expression_targets(module, attr.value) if t.kind in ("resource", "data")
            ]
            if targets:
                for target in targets:
                    if id(target) in ids:
                        out.setdefault(id(target), []).append(companion)
                continue
            value = as_string(module.cached_value(attr.value))
            if value is UNKNOWN:
                complete = False
                continue
            for subject in names.get(value, []):
                out.setdefault(id(subject), []).append(companion)
        return out, complete

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        linked, complete = self.companions(module)
        if not complete:
            return
        for subject in self.subjects(module):
            yield from self.check_subject(ctx, subject, linked)

    def check_subject(
        self, ctx: Context, subject: Entity, linked: Mapping[int, list[Entity]]
    ) -> Iterator[Finding]:
        """The finding on one subject, given :meth:`companions` (the engine re-checks only
        the subjects an edit changed: see :mod:`tfguard.incremental`)."""
        module = ctx.module
        if not all(holds(module, subject, w) for w in self.only_if):
            return
        companions = linked.get(id(subject), [])
        if any(self._serves(module, c) for c in companions):
            return
        if any(self._undecided(module, c) for c in companions):
            return
        related = [(c, c.block, f"{c.address} does not meet the requirement") for c in companions]
        yield ctx.report(
            subject,
            subject.block,
            self.message.format(**_fields(subject)),
            related=related,
            data={"companion": self.companion_types[0]},
        )

    def _serves(self, module: Module, companion: Entity) -> bool:
        return all(holds(module, companion, w) for w in self.companion_when)

    def _undecided(self, module: Module, companion: Entity) -> bool:
        for when in self.companion_when:
            for hit in lookup(module, companion, when.path):
                value = hit.value if hit.present else when.default
                if when.condition.test(value) is UNKNOWN:
                    return True
        return False

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        spec = self.fix
        if spec is None:
            return []
        subject = entity_for(module, finding)
        if subject is None or not addressable(subject) or not exists(module, subject):
            return []
        name = unique_name(module, self.companion_types[0], subject.name)
        text = (
            spec.template.replace("{name}", name)
            .replace("{subject_name}", subject.name)
            .replace("{subject}", subject.address)
        )
        edit: TextEdit = Editor(module).insert_after(subject, text.strip("\n"))
        return [Fix(spec.title, (edit,), spec.applicability, spec.consequence)]
