"""A declarative check over several attribute paths (no rules here).

Some arguments live in alternative blocks: CloudFront's viewer_protocol_policy is in
``default_cache_behavior`` and in every ``ordered_cache_behavior``. :class:`AnyPathCheck` is a
:class:`~tfguard.rules.kit.declarative.Check` whose ``attributes`` are all checked the same
way, with the same fix. It is provider-neutral and could move into the kit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from tfguard.evaluate import Evaluator
from tfguard.findings import Finding
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import anchor_range
from tfguard.rules.kit.declarative import Check, SetValue, holds
from tfguard.rules.kit.fixing import set_path_edits
from tfguard.rules.kit.instances import instance_evaluators
from tfguard.rules.kit.paths import Hit, lookup
from tfguard.rules.kit.values import UNKNOWN, Value


class AnyPathCheck(Check):
    """A :class:`Check` of every path in ``attributes`` (``attribute`` names the first, for
    messages and the fix description). A path whose first block is absent is not reported:
    only the paths that are written, or the first path, can be missing."""

    attributes: ClassVar[tuple[str, ...]]

    @property
    def has_fix(self) -> bool:
        return self.fix is not None

    def hits(self, module: Module, entity: Entity, evaluator: Evaluator | None) -> list[Hit]:
        out: list[Hit] = []
        for i, path in enumerate(self.attributes):
            for hit in lookup(module, entity, path, evaluator):
                if i > 0 and not hit.present and hit.holder is entity.block:
                    continue  # an optional block that is not written
                out.append(hit)
        return out

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        if not all(holds(module, entity, w) for w in self.only_if):
            return
        evaluators: list[Evaluator | None] = [None]
        if self.per_instance:
            evaluators = list(instance_evaluators(module, entity))
        seen: set[int] = set()
        for evaluator in evaluators:
            for hit in self.hits(module, entity, evaluator):
                place = id(hit.anchor)
                if place in seen:
                    continue
                value = hit.value if hit.present else self.default_for(module, entity)
                if value is UNKNOWN:
                    continue
                if self.condition.test(value) is False:
                    seen.add(place)
                    yield hit, value

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        spec = self.fix
        entity = entity_for(module, finding)
        if spec is None or entity is None:
            return []
        hit = next(
            (
                h
                for h in self.hits(module, entity, None)
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
            edits = [Editor(module).insert_block(entity, hit.holder, spec.text)]
            title = spec.title
        if not edits:
            return []
        title = title.replace("{address}", entity.address).replace("{name}", entity.name)
        return [Fix(title, tuple(edits), spec.applicability, spec.consequence)]
